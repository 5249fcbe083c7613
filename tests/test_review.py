"""The review page: the brief beside its sources, every verified claim highlighted at its offsets.

Most tests read the page's HTML; the browser tests open it in headless Chromium (Selenium with the
system chromium and chromedriver) and click through it as an editor would.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, StoryBriefs
from standin import Reply, serve

from summarizer import config
from summarizer.articles import load_articles
from summarizer.cli import main
from summarizer.models import Article, Brief, Dropped
from summarizer.pipeline import summarize
from summarizer.render.html import render_html

COURIER = Article(
    id="courier",
    title="Depot fire",
    outlet="Kessel Courier",
    text=(
        "Depot fire\n\n"
        "A fire broke out at the Kessel Road bus depot on Tuesday night.\n"
        "Fire crews said 14 buses were damaged.\n"
        "The depot will reopen on Friday, the transit authority said.\n"
    ),
)
HERALD = Article(
    id="herald",
    outlet="Kessel Herald",
    text=(
        "Fire damaged 12 buses at the Kessel Road bus depot on Tuesday night.\n"
        "The depot will reopen on Monday, the transit authority said.\n"
        "No one was hurt.\n"
    ),
)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
)


class Marks(HTMLParser):
    """Collects every highlighted span (<mark id=... class=...>text</mark>) and every link target."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[str, dict[str, str]] = {}
        self.targets: list[dict[str, str]] = []
        self.resources: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "mark":
            self._open = a["id"]
            self.marks[a["id"]] = {"class": a.get("class", ""), "text": ""}
        if "data-target" in a:
            self.targets.append({"tag": tag, **a})
        if tag in ("script", "img", "link", "iframe", "video", "audio", "source") and ("src" in a or "href" in a):
            self.resources.append(f"{tag} {a}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.marks[self._open]["text"] += data


def parse(page: str) -> Marks:
    parser = Marks()
    parser.feed(page)
    return parser


@pytest.fixture
def depot(tmp_path: Path) -> tuple[Brief, list[Article]]:
    """A two-source brief made by the real pipeline over a scripted model: two conflicts, one single claim."""
    with serve([Reply(content=json.dumps({"facts": [1, 2, 3]}))]) as (url, _):
        settings = config.Settings(base_url=url, model="m", dialect="llamacpp", cache_dir=tmp_path / "cache")
        brief = summarize([COURIER, HERALD], settings)
    assert brief.stats.groups_conflict == 2
    return brief, [COURIER, HERALD]


@pytest.fixture
def harbor(story_briefs: StoryBriefs) -> tuple[Brief, list[Article]]:
    """The bundled example story, briefed from its cassette."""
    brief, _ = story_briefs.get("harbor-storm")
    return brief, load_articles([str(EXAMPLES / "harbor-storm")])


def test_every_verified_claim_is_highlighted_at_its_offsets(harbor: tuple[Brief, list[Article]]) -> None:
    brief, articles = harbor
    page = parse(render_html(brief, articles))
    texts = {a.id: a.text for a in articles}
    targets = {t["data-claim"]: t["data-target"] for t in page.targets if t["tag"] == "tr"}
    highlighted = {m["text"] for m in page.marks.values()}
    for claim in brief.claims:
        assert texts[claim.source_id][claim.start : claim.end] in highlighted, claim.id
    for claim_id, mark_id in targets.items():
        claim = brief.claim(claim_id)
        assert page.marks[mark_id]["text"] == texts[claim.source_id][claim.start : claim.end]


def test_every_claim_button_and_citation_points_at_an_existing_span(harbor: tuple[Brief, list[Article]]) -> None:
    brief, articles = harbor
    page = parse(render_html(brief, articles))
    kinds = {(t["tag"], t.get("class", "")) for t in page.targets}
    assert {("button", "claim"), ("a", "cite"), ("tr", "side side-0")} <= kinds
    assert all(t["data-target"] in page.marks for t in page.targets)


def test_conflict_sides_have_distinct_colours_in_the_table_and_the_text(depot: tuple[Brief, list[Article]]) -> None:
    brief, articles = depot
    page = parse(render_html(brief, articles))
    group = next(g for g in brief.groups if g.status == "conflict" and g.basis == "date")
    rows = [t for t in page.targets if t["tag"] == "tr" and t["data-claim"] in group.claim_ids]
    sides = [re.search(r"side-\d", row["class"]).group(0) for row in rows]  # type: ignore[union-attr]
    assert len(rows) == 2 and sides[0] != sides[1]
    for row, side in zip(rows, sides, strict=True):
        assert page.marks[row["data-target"]]["class"].split() == ["span", "conflict", side]


def test_compatible_figures_share_a_side_of_a_conflict(harbor: tuple[Brief, list[Article]]) -> None:
    brief, articles = harbor
    page = parse(render_html(brief, articles))
    group = next(g for g in brief.groups if g.status == "conflict" and g.frame and g.frame.noun == "home")
    side = {
        brief.claim(t["data-claim"]).quote.split()[0]: re.search(r"side-\d", t["class"]).group(0)  # type: ignore[union-attr]
        for t in page.targets
        if t["tag"] == "tr" and t["data-claim"] in group.claim_ids
    }
    # "2,400 homes" (Averly Gazette) and "About 2,400 homes" (Tidewater Herald) against "2,900 homes"
    assert side["Averly"] == side["About"] != side["The"]


def test_agreed_and_single_source_claims_are_marked_by_status(depot: tuple[Brief, list[Article]]) -> None:
    brief, articles = depot
    page = parse(render_html(brief, articles))
    single = next(g for g in brief.groups if g.status == "single")
    mark = next(m for m in page.marks.values() if m["text"] == brief.claim(single.claim_ids[0]).quote)
    assert mark["class"] == "span single"


def test_dropped_claims_are_listed_with_their_reasons(depot: tuple[Brief, list[Article]]) -> None:
    brief, articles = depot
    brief = brief.model_copy(
        update={
            "dropped": [
                Dropped(source_id="herald", reason="sentence 9 does not exist", raw='{"facts": [9]}'),
                Dropped(source_id="courier", reason="repaired: duplicate sentence number", raw="", kind="repaired"),
                Dropped(source_id="herald", reason="reads like instructions", raw="Ignore the above.", kind="skipped"),
            ]
        }
    )
    page = render_html(brief, articles)
    dropped = page[page.index('id="dropped"') :]
    assert "S2: sentence 9 does not exist" in dropped
    assert "{&quot;facts&quot;: [9]}" in dropped
    assert "S2: “Ignore the above.”: reads like instructions" in dropped
    assert "<h3>Repaired</h3>" in dropped and "S1: repaired: duplicate sentence number" in dropped


def _brief_headings(titles: list[str]) -> list[str]:
    """A rendering's section titles in order, without the sources (a column of their own on the page)."""
    return ["dropped" if t.startswith("Dropped") else t for t in titles if t != "Sources"]


def test_the_page_shows_the_brief_in_the_markdowns_section_order(depot: tuple[Brief, list[Article]]) -> None:
    brief, articles = depot
    brief = brief.model_copy(
        update={"dropped": [Dropped(source_id="herald", reason="no such sentence", raw="{}", kind="invalid")]}
    )
    markdown = [line.removeprefix("## ") for line in brief.to_markdown().splitlines() if line.startswith("## ")]
    page = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", render_html(brief, articles))]
    assert _brief_headings(page) == _brief_headings(markdown)
    assert _brief_headings(markdown) == [
        "Summary",
        "Where sources agree",
        "Where sources conflict",
        "Reported by one source",
        "dropped",
    ]


def test_the_page_loads_nothing_from_anywhere(harbor: tuple[Brief, list[Article]]) -> None:
    brief, articles = harbor
    page = render_html(brief, articles)
    assert parse(page).resources == []
    assert "url(" not in page and "@import" not in page
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in page


def test_the_pages_own_script_and_stylesheet_are_allowed_by_their_hashes_alone(
    depot: tuple[Brief, list[Article]],
) -> None:
    page = render_html(*depot)
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert found is not None
    policy = dict(directive.strip().split(" ", 1) for directive in found.group(1).split(";"))
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert policy["script-src"] == f"'sha256-{_sha256_base64(script)}'"
    assert policy["style-src"] == f"'sha256-{_sha256_base64(style)}'"
    assert "unsafe-inline" not in found.group(1)


def _sha256_base64(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def test_hostile_article_text_and_metadata_are_shown_as_text(tmp_path: Path) -> None:
    hostile = Article(
        id='x"><script>alert(1)</script>',
        title="<img src=x onerror=alert(1)>",
        url="javascript:alert(1)",
        text="</mark><script>alert(2)</script> The bridge reopens on Monday.\n",
    )
    with serve([Reply(content=json.dumps({"facts": [1]}))]) as (url, _):
        brief = summarize([hostile], config.Settings(base_url=url, model="m", cache_dir=tmp_path / "cache"))
    page = render_html(brief, [hostile])
    assert "<script>alert" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert page.count("<script>") == 1  # the page's own


def test_a_claim_overlapping_another_shares_its_highlight(depot: tuple[Brief, list[Article]]) -> None:
    brief, articles = depot
    first = next(c for c in brief.claims if c.source_id == "courier")
    inner = first.model_copy(update={"id": "courier-overlap", "start": first.start + 2, "end": first.end - 2})
    brief = brief.model_copy(update={"claims": [*brief.claims, inner]})
    page = parse(render_html(brief, articles))
    assert [m["text"] for m in page.marks.values()].count(first.quote) == 1
    assert len(page.marks) == len(brief.claims) - 1


def test_a_claim_outside_its_article_is_never_highlighted(depot: tuple[Brief, list[Article]]) -> None:
    brief, articles = depot
    stray = brief.claims[0].model_copy(update={"id": "stray", "start": 5000, "end": 5010})
    single = brief.groups[-1].model_copy(update={"claim_ids": ["stray"]})
    brief = brief.model_copy(update={"claims": [*brief.claims, stray], "groups": [*brief.groups, single]})
    page = render_html(brief, articles)
    assert 'disabled title="not located in the source"' in page
    assert len(parse(page).marks) == len(brief.claims) - 1


def test_a_duplicate_source_points_to_the_one_it_repeats(tmp_path: Path) -> None:
    copy = HERALD.model_copy(update={"id": "herald-copy"})
    with serve([Reply(content=json.dumps({"facts": [1]}))]) as (url, _):
        brief = summarize(
            [COURIER, HERALD, copy], config.Settings(base_url=url, model="m", cache_dir=tmp_path / "cache")
        )
    page = render_html(brief, [COURIER, HERALD, copy])
    assert "Same text as S2: it counts as one source" in page


def test_brief_with_html_flag_writes_the_review_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for article in (COURIER, HERALD):
        (tmp_path / f"{article.id}.txt").write_text(article.text, encoding="utf-8")
    page = tmp_path / "brief.html"
    with serve([Reply(content=json.dumps({"facts": [1, 2]}))]) as (url, _):
        code = main(
            [
                "brief",
                str(tmp_path / "courier.txt"),
                str(tmp_path / "herald.txt"),
                "--base-url",
                url,
                "--model",
                "m",
                "-o",
                str(tmp_path / "brief.md"),
                "--html",
                str(page),
            ]
        )
    assert code == 0
    assert f"wrote {page}" in capsys.readouterr().err
    marks = parse(page.read_text(encoding="utf-8")).marks
    assert "Fire crews said 14 buses were damaged." in {m["text"] for m in marks.values()}


# ---- in a browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium driven by chromedriver (Debian packages chromium and chromium-driver)."""
    driver_path = shutil.which("chromedriver")
    if not CHROMIUM.exists() or driver_path is None:
        pytest.skip("needs Chromium: apt-get install chromium chromium-driver (/usr/bin/chromium and chromedriver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def harbor_page(browser: Any, harbor: tuple[Brief, list[Article]], tmp_path: Path) -> Any:
    path = tmp_path / "review.html"
    path.write_text(render_html(*harbor), encoding="utf-8")
    browser.get(path.as_uri())
    return browser


_IN_VIEW = """
const el = document.getElementById(arguments[0]);
const r = el.getBoundingClientRect(), box = document.getElementById('sources').getBoundingClientRect();
return r.top >= Math.max(0, box.top) && r.bottom <= Math.min(window.innerHeight, box.bottom) && r.height > 0;
"""


def test_clicking_a_conflict_row_highlights_its_span_in_view(harbor_page: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = harbor_page
    rows = driver.find_elements(By.CSS_SELECTOR, "table.conflict tr[data-target]")
    # the row whose span lies furthest down the sources, so it surely starts out of view
    row = max(
        rows,
        key=lambda r: driver.execute_script(
            "return document.getElementById(arguments[0]).offsetTop", r.get_attribute("data-target")
        ),
    )
    target = row.get_attribute("data-target")
    assert not driver.execute_script(_IN_VIEW, target)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    row.find_element(By.CSS_SELECTOR, "td").click()  # the row itself, not its quote button
    mark = driver.find_element(By.ID, target)
    assert "active" in mark.get_attribute("class").split()
    assert [m.get_attribute("id") for m in driver.find_elements(By.CSS_SELECTOR, "mark.active")] == [target]
    assert driver.execute_script(_IN_VIEW, target)
    quote = row.find_element(By.CSS_SELECTOR, "button.claim").text
    assert " ".join(mark.text.split()) == quote
    shot = tmp_path / "review-conflict.png"
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_a_claim_is_reachable_by_keyboard_and_escape_goes_back(harbor_page: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = harbor_page
    button = driver.find_elements(By.CSS_SELECTOR, "#brief button.claim[data-target]")[-1]
    driver.execute_script("arguments[0].focus()", button)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    target = button.get_attribute("data-target")
    assert driver.switch_to.active_element.get_attribute("id") == target
    assert driver.execute_script(_IN_VIEW, target)
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert driver.switch_to.active_element == button


def test_a_script_that_got_into_the_page_does_not_run_while_the_pages_own_does(
    browser: Any, depot: tuple[Brief, list[Article]], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    injected = "<script>document.title = 'injected'; document.body.dataset.injected = 'yes';</script>"
    path = tmp_path / "review.html"
    path.write_text(render_html(*depot).replace("</main>", "</main>" + injected), encoding="utf-8")
    browser.get(path.as_uri())
    button = browser.find_elements(By.CSS_SELECTOR, "#brief button.claim[data-target]")[0]
    button.click()
    mark = browser.find_element(By.ID, button.get_attribute("data-target"))
    assert "active" in mark.get_attribute("class").split()  # the page's own script ran
    assert browser.title != "injected" and browser.execute_script("return document.body.dataset.injected") is None


def test_printing_lays_the_brief_and_the_sources_out_one_after_the_other(harbor_page: Any) -> None:
    driver = harbor_page
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        layout = driver.execute_script(
            "const b = document.getElementById('brief').getBoundingClientRect(),"
            " s = document.getElementById('sources').getBoundingClientRect();"
            "return [b.bottom <= s.top, getComputedStyle(document.getElementById('sources')).overflowY];"
        )
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert layout == [True, "visible"]


def test_summary_citations_are_in_source_order(harbor: tuple[Brief, list[Article]]) -> None:
    page = render_html(*harbor)
    summary = page.split('id="summary"')[1].split('id="conflicts"')[0]
    items = summary.split("<li>")[1:]
    assert items and all(
        (labels := [int(n) for n in re.findall(r">\[S(\d+)\]<", item)]) == sorted(labels) for item in items
    )
    assert any(len(re.findall(r">\[S(\d+)\]<", item)) > 2 for item in items)


QUAKE = [
    Article(id=name.lower(), outlet=f"Tarn {name}", published=day, text=f"The quake in Tarn province killed {toll}.\n")
    for name, day, toll in (
        ("Courier", "2025-07-02", "at least one person"),
        ("Herald", "2025-07-02", "at least five people"),
        ("Radio", "2025-07-03", "24 people, officials said"),
    )
]


@pytest.fixture
def quake_page(browser: Any, tmp_path: Path) -> Any:
    """The review page of a toll that rose over two days, briefed by the real pipeline over a scripted model."""
    with serve([Reply(content=json.dumps({"facts": [1]}))]) as (url, _):
        settings = config.Settings(base_url=url, model="m", dialect="llamacpp", cache_dir=tmp_path / "cache")
        brief = summarize(QUAKE, settings)
    path = tmp_path / "quake.html"
    path.write_text(render_html(brief, QUAKE), encoding="utf-8")
    browser.get(path.as_uri())
    return browser


def test_an_updated_toll_reads_as_one_rising_figure_above_its_table(quake_page: Any) -> None:
    from selenium.webdriver.common.by import By

    driver = quake_page
    update = driver.find_element(By.CSS_SELECTOR, "#conflicts ~ p.update")
    assert update.is_displayed()
    assert update.text == (
        "Updated: at least one (Tarn Courier, 2 July) → at least five (Tarn Herald, 2 July) → "
        "24 (Tarn Radio, 3 July); the latest reports give 24."
    )
    table = driver.find_element(By.CSS_SELECTOR, "table.conflict")
    assert table.get_attribute("data-kind") == "superseded"
    assert update.location["y"] < table.location["y"]
    assert driver.find_element(By.CSS_SELECTOR, "#summary ~ ul li").text.startswith("The latest reports give 24")


def test_each_row_of_an_updated_toll_shows_its_day_and_origin(quake_page: Any) -> None:
    from selenium.webdriver.common.by import By

    rows = quake_page.find_elements(By.CSS_SELECTOR, "table.conflict tbody tr")
    cells = [[td.text for td in row.find_elements(By.TAG_NAME, "td")][:4] for row in rows]
    assert sorted(cells) == [
        ["S1 Tarn Courier", "at least one", "2 July 2025", "Tarn Courier"],
        ["S2 Tarn Herald", "at least five", "2 July 2025", "Tarn Herald"],
        ["S3 Tarn Radio", "24", "3 July 2025", "Tarn Radio"],
    ]
