"""Data that must stay data (issue 12): a pickled row planted in the extraction cache is never
unpickled, and a hostile article renders as inert Markdown, through the real pipeline with the
scripted stand-in model.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from pathlib import Path

import diskcache
import pytest
from markdown_it import MarkdownIt
from standin import Reply, serve

from summarizer.articles import article_from_text
from summarizer.cli import main
from summarizer.config import Settings
from summarizer.pipeline import summarize

FACTS = json.dumps({"facts": [1, 2]})
COURIER = "A fire broke out at the Kessel Road bus depot on Tuesday night.\nFire crews said 14 buses were damaged.\n"
HERALD = "Fire damaged 12 buses at the Kessel Road bus depot on Tuesday night.\nNo one was hurt.\n"


class Planted:
    """Unpickling this creates a directory: proof that code from the cache ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


def test_a_pickled_cache_row_is_a_miss_and_is_never_unpickled(tmp_path: Path) -> None:
    cache = tmp_path / "shared-cache"
    marker = tmp_path / "code-ran"
    articles = [article_from_text(COURIER, article_id="courier"), article_from_text(HERALD, article_id="herald")]
    with serve([Reply(content=FACTS)]) as (url, model):
        settings = Settings(base_url=url, model="standin", dialect="llamacpp", cache_dir=cache, jobs=1)
        first = summarize(articles, settings)
        calls = len(model.requests)
        assert calls == 2
        # someone who can write the cache's SQLite file swaps every entry for a pickle (diskcache's own
        # format for objects: the row says mode 4 and get() would unpickle it)
        with diskcache.Cache(str(cache / "extractions")) as raw:
            keys = list(raw)
            assert len(keys) == 2
            for key in keys:
                raw.set(key, Planted(marker))
        with sqlite3.connect(cache / "extractions" / "cache.db") as db:
            assert {mode for (mode,) in db.execute("SELECT mode FROM Cache")} == {diskcache.core.MODE_PICKLE}
        second = summarize(articles, settings)
        assert len(model.requests) == calls + 2  # both rows were misses: the model was asked again
    assert not marker.exists()
    assert second.claims == first.claims
    with sqlite3.connect(cache / "extractions" / "cache.db") as db:
        modes = [mode for (mode,) in db.execute("SELECT mode FROM Cache")]
    assert len(modes) == 2 and diskcache.core.MODE_PICKLE not in modes  # the pickles were replaced by text


def test_the_cache_directory_is_created_private(tmp_path: Path) -> None:
    cache = tmp_path / "new" / "cache"
    tmp_path.chmod(0o755)
    with serve([Reply(content=FACTS)]) as (url, _):
        settings = Settings(base_url=url, model="standin", dialect="llamacpp", cache_dir=cache, jobs=1)
        summarize([article_from_text(COURIER, article_id="courier")], settings)
    for folder in (cache / "extractions", cache, cache.parent):  # every folder the cache had to create
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755  # a folder that was there is left as it was


HOSTILE_COURIER = """Title: Depot fire <img src=x onerror=alert(1)>
Outlet: **Kessel** [Courier](javascript:alert(1))

Fire crews said 14 buses were damaged at the depot <img src=x onerror=alert(2)> on Tuesday.
The mayor's office said 2,400 homes, about 3.5%, lost power on 2025-03-04 in a well-known pre-storm \
pattern, [click](javascript:alert(3)) `rm -rf` **urgent** _now_ ~~gone~~ &amp; <script>alert(4)</script>.
"""
HOSTILE_HERALD = """Title: # Heading | pipe
Outlet: <b>Herald</b>

Fire damaged 12 buses at the depot on Tuesday, said ![img](javascript:alert(5)) chief <i>Smith</i>.
The mayor's office said 2,400 homes, about 3.5%, lost power on 2025-03-04 in a well-known pre-storm pattern.
"""


def test_a_hostile_article_renders_as_inert_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "courier.txt").write_text(HOSTILE_COURIER, encoding="utf-8")
    (tmp_path / "herald.txt").write_text(HOSTILE_HERALD, encoding="utf-8")
    out = tmp_path / "brief.md"
    with serve([Reply(content=FACTS)]) as (url, _):
        argv = ["brief", str(tmp_path / "courier.txt"), str(tmp_path / "herald.txt"), "-o", str(out)]
        assert main([*argv, "--base-url", url, "--model", "standin", "--dialect", "llamacpp"]) == 0
    markdown = out.read_text(encoding="utf-8")
    # the hostile text reached the brief (quotes, outlets, titles, credits, the summary), so it was tested
    assert markdown.count("onerror") >= 2 and markdown.count("javascript:") >= 4
    # rendered as CommonMark with raw HTML allowed (as many CMSs do), plus GFM tables and strikethrough
    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    tags = set(re.findall(r"<([a-z0-9]+)", html))
    assert tags <= {
        "h1",
        "h2",
        "p",
        "ul",
        "li",
        "strong",
        "em",
        "code",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    assert "href" not in html  # no link (and, by the tags above, no image, script or raw HTML)
    assert html.count("<h1>") == 1  # the brief's own title only
    for markup in ("<strong>urgent", "<em>now", "<code>rm", "<strong>Kessel"):
        assert markup not in html
    # ...and it shows as written
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "**urgent** _now_ ~~gone~~ &amp;amp;" in html
    assert "[click](javascript:alert(3))" in html and "![img](javascript:alert(5))" in html
    # ordinary text is not mangled: apostrophes, hyphens, figures, percentages, dates
    plain = (
        "The mayor's office said 2,400 homes, about 3.5%, lost power on 2025-03-04 in a well-known pre-storm pattern."
    )
    assert f"“{plain}”" in markdown
    assert "| S1 \\*\\*Kessel\\*\\* \\[Courier\\](javascript:alert(1)) | 14 |" in markdown
