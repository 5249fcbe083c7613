"""Check an installed (non-editable) summarizer: run with the Python of the environment the wheel went into.

    python .ci/wheelcheck.py CHECKOUT

It must import from that environment, not from CHECKOUT; load every prompt template of CHECKOUT/prompts/
through the package (importlib.resources); carry py.typed and the licence; and give install hints for an
installed package, not for a checkout.
"""

from __future__ import annotations

import importlib.metadata
import sys
import sysconfig
from pathlib import Path


def main(checkout: Path) -> int:
    import summarizer
    from summarizer import prompts
    from summarizer.install import DISTRIBUTION, install_hint, source_tree

    where = Path(summarizer.__file__).resolve()
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert where.is_relative_to(site), f"summarizer imported from {where}, not from {site}"
    assert source_tree() is None, f"an installed package took {source_tree()} for its checkout"
    assert Path(str(prompts.prompts_dir())).resolve().is_relative_to(site), prompts.prompts_dir()

    wanted = sorted(p.stem for p in (checkout / "prompts").glob("*.txt"))
    names = prompts.prompt_names()
    assert names == wanted, f"the package has prompts {names}, the checkout {wanted}"
    for name in names:
        prompt = prompts.load_prompt(name)
        assert prompt.system and prompt.user, name
        if name.startswith("extract.") and (checkout / "prompts" / f"{name}.example.json").is_file():
            prompts.extraction_example(name)
    examples = sorted(p.name for p in (checkout / "prompts").glob("*.json"))
    packaged = sorted(p.name for p in prompts.prompts_dir().iterdir() if p.name.endswith(".json"))
    assert packaged == examples, f"the package has examples {packaged}, the checkout {examples}"

    assert (where.parent / "py.typed").is_file(), "py.typed is missing"
    dist = importlib.metadata.distribution(DISTRIBUTION)
    assert dist.version == summarizer.__version__, (dist.version, summarizer.__version__)
    assert dist.metadata["License-Expression"] == "MIT", dist.metadata["License-Expression"]
    assert any(str(f).endswith("LICENSE") for f in dist.files or ()), "the LICENSE file is not in the wheel"
    hint = install_hint("local")
    assert hint == f"pip install '{DISTRIBUTION}[local]=={summarizer.__version__}'", hint
    print(f"wheel: {DISTRIBUTION} {dist.version} from {site}; {len(names)} prompts and {len(examples)} examples load")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve()))
