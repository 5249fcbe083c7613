"""Entry point of the embedded model server: llama-cpp-python's server, with one CPU guard.

llama.cpp built for the host CPU multiplies on AMX tiles when the CPU advertises them. Some virtual
machines advertise AMX but fault on the first tile instruction (seen here: a Firecracker VM on a
Sapphire Rapids host, `ldtilecfg` -> general protection fault, the server dies on its first
request). So when the CPU lists `amx_tile`, the model is loaded without llama.cpp's extra buffer
types (AMX and weight repacking); the plain CPU kernels run instead. Set
`SUMMARIZER_LLAMA_EXTRA_BUFFERS=1` to keep them on a machine where AMX works.

Run as `python -m summarizer._llama_server <llama_cpp.server arguments>`.
"""

from __future__ import annotations

import os
import runpy
from pathlib import Path

EXTRA_BUFFERS_ENV = "SUMMARIZER_LLAMA_EXTRA_BUFFERS"


def cpu_advertises_amx(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """True when the first CPU's flags list AMX tiles (Linux only; elsewhere False)."""
    try:
        with cpuinfo.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return "amx_tile" in line.split()
    except OSError:
        return False
    return False


def extra_buffers_wanted(env: dict[str, str] | None = None, cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether llama.cpp may use its extra buffer types (AMX, repacking) on this machine."""
    setting = (env if env is not None else dict(os.environ)).get(EXTRA_BUFFERS_ENV, "").strip().lower()
    if setting in ("1", "true", "yes", "on"):
        return True
    if setting in ("0", "false", "no", "off"):
        return False
    return not cpu_advertises_amx(cpuinfo)


def _disable_extra_buffers() -> None:
    import llama_cpp.llama_cpp as bindings

    original = bindings.llama_model_default_params

    def without_extra_buffers() -> object:
        params = original()
        params.use_extra_bufts = False
        return params

    bindings.llama_model_default_params = without_extra_buffers


def main() -> None:
    if not extra_buffers_wanted():
        _disable_extra_buffers()
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
