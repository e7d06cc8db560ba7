"""Page weight on a phone: what a first visit transfers before the reader scrolls (bytes, never timings).

Each page (landing page, every chapter) is opened in headless chromium with a phone viewport and an
empty cache, from the site served gzipped as a static host serves it. The budget is the one reached
for the Lighthouse mobile score of 90+ (see `make bench`, bench/report.md): the bytes transferred, no
web font, no Font Awesome script, and no Vega bundle or search index until they are needed.
"""
from __future__ import annotations

import pytest
from conftest import SITE

# Bytes transferred by a first visit before any scrolling (HTML, CSS, JS, images; gzipped).
# Reached: 138 kB (smallest page) to 201 kB (chapter 05); before: 1.0 MB (landing) to 1.36 MB (chapter 04).
# The budget leaves about 15% for the book to grow.
BUDGET_BYTES = 230_000
# JavaScript a first visit loads, decoded: 144-147 kB reached (the theme's bootstrap and pydata scripts are
# most of it); before: 1.6 MB with the Font Awesome script, 2.5 MB on chart pages with the Vega bundle.
BUDGET_JS_BYTES = 160_000


def weighed_pages() -> list[str]:
    if not SITE.is_dir():
        return ["<site not built>"]
    return ["intro.html"] + [p.relative_to(SITE).as_posix() for p in sorted((SITE / "chapters").glob("*.html"))]


TRANSFERS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const out = {bytes: nav.transferSize, js: 0, urls: []};
  for (const e of performance.getEntriesByType('resource')) {
    out.bytes += e.transferSize;
    const url = e.name.split('?')[0];
    if (url.endsWith('.js')) out.js += e.decodedBodySize;
    out.urls.push(url);
  }
  return out;
}"""


@pytest.mark.parametrize("page_path", weighed_pages())
def test_first_visit_stays_within_the_page_weight_budget(page_path, gzip_site_url, browser):
    assert page_path != "<site not built>", "no built site: run 'make book' first"
    context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        response = page.goto(f"{gzip_site_url}/{page_path}", wait_until="load")
        assert response is not None and response.status == 200
        assert response.headers.get("content-encoding") == "gzip", "the weighing server should gzip HTML"
        page.wait_for_load_state("networkidle")
        weight = page.evaluate(TRANSFERS)
        urls = weight["urls"]
        assert not [u for u in urls if u.endswith((".woff2", ".woff", ".ttf"))], f"{page_path} loads a web font"
        assert not [u for u in urls if u.endswith("fontawesome.js")], f"{page_path} loads the Font Awesome script"
        assert not [u for u in urls if u.endswith("searchindex.js")], f"{page_path} loads the search index"
        # The Vega bundle comes only with a chart near the viewport, never with a page that has none.
        if not page.locator("div[id^='altair-viz-']").count():
            assert not [u for u in urls if u.endswith("vega-bundle.js")], f"{page_path} loads Vega with no chart"
        assert weight["bytes"] <= BUDGET_BYTES, (
            f"{page_path}: a first visit transfers {weight['bytes']:,} bytes (budget {BUDGET_BYTES:,}): {urls}")
        assert weight["js"] <= BUDGET_JS_BYTES, (
            f"{page_path}: {weight['js']:,} bytes of JavaScript at load (budget {BUDGET_JS_BYTES:,})")
    finally:
        context.close()


def test_folded_code_is_plain_until_unfolded_then_coloured(site_url, page):
    """Folded code cells carry plain text (a light DOM); unfolding one brings its highlighting back."""
    page.goto(f"{site_url}/chapters/04-ros1-trials.html", wait_until="load")
    kept_aside = page.locator("details.above-input").filter(has=page.locator("template.ros1alk-colours"))
    assert kept_aside.count() >= 1, "chapter 04 should fold code with its colours kept aside"
    folded = kept_aside.first.element_handle()  # a handle: the locator would move on once the template goes
    text_before = folded.eval_on_selector("pre", "p => p.textContent")
    assert folded.eval_on_selector_all("pre span", "s => s.length") == 0
    folded.eval_on_selector("summary", "s => s.click()")
    page.wait_for_function("d => d.open && d.querySelectorAll('pre span').length > 0", arg=folded, timeout=5000)
    assert folded.eval_on_selector_all("template", "t => t.length") == 0
    assert folded.eval_on_selector("pre", "p => p.textContent") == text_before, "unfolding changed the code's text"


def _rows_in_notebook_tables(notebook: str) -> list[int]:
    """Rows (<tr>) of each HTML table output stored in a chapter notebook, longest first."""
    import json

    from conftest import REPO

    rows = []
    for cell in json.loads((REPO / "chapters" / notebook).read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            html = "".join(output.get("data", {}).get("text/html", []))
            if "<table" in html and "altair-viz" not in html:
                rows.append(html.count("<tr"))
    return sorted(rows, reverse=True)


@pytest.mark.parametrize("chapter", ["08-toxicity", "10-audit"])
def test_long_tables_scroll_in_a_fixed_box_with_every_row(chapter, site_url, browser):
    """A long output table is a fixed-height box a reader (or the keyboard) scrolls, holding every row."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{site_url}/chapters/{chapter}.html", wait_until="load")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # folded outputs too
        boxes = page.locator(".cell_output .output.long-table")
        assert boxes.count() >= 1, f"chapter {chapter} should have a long table in a scroll box"
        long_rows = [n for n in _rows_in_notebook_tables(f"{chapter}.ipynb") if n > 20]
        shown = sorted(boxes.evaluate_all("bs => bs.map(b => b.querySelectorAll('tr').length)"), reverse=True)
        assert shown == long_rows, "every long table of the notebook, with every row, should be on the page"
        for i in range(boxes.count()):
            box = boxes.nth(i)
            box.scroll_into_view_if_needed()
            assert box.get_attribute("tabindex") == "0", "a scroll box must be reachable by keyboard"
            size = box.evaluate("b => [b.clientHeight, b.scrollHeight, getComputedStyle(b).overflowY]")
            assert size[2] == "auto" and size[1] > size[0] > 200, f"table {i} should scroll in a box: {size}"
            # The column names stay in view while the rows scroll under them.
            box.evaluate("b => { b.scrollTop = b.scrollHeight; }")
            head, top = box.evaluate("b => [b.querySelector('thead th').getBoundingClientRect().top,"
                                     " b.getBoundingClientRect().top]")
            assert abs(head - top) < 2, f"table {i}: the header should stick to the top of the box"
    finally:
        context.close()
