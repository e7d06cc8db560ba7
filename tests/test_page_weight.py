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
