"""Every page of the built site, opened in headless Debian chromium, served from 127.0.0.1 only.

Per page: it loads; no console errors; every chart, once scrolled into view, draws an svg or canvas; no
request leaves the local server; no internal link answers 404; axe-core finds no serious or
critical accessibility violation.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from conftest import SITE, draw_charts

SKIP_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static", "reports"}


def site_pages() -> list[str]:
    if not SITE.is_dir():
        return ["<site not built>"]
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE)
        if rel.parts[0] in SKIP_DIRS:
            continue
        pages.append(rel.as_posix())
    return pages or ["<site not built>"]


_link_status: dict[str, int] = {}


def _status(url: str) -> int:
    if url not in _link_status:
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:
                _link_status[url] = resp.status
        except urllib.error.HTTPError as exc:
            _link_status[url] = exc.code
    return _link_status[url]


@pytest.mark.parametrize("page_path", site_pages())
def test_page(page_path, site_url, browser):
    assert page_path != "<site not built>", "no built site: run 'make book' first"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console_errors, requests = [], []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    try:
        url = f"{site_url}/{page_path}"
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{page_path} answered {response and response.status}"

        # Charts draw as they near the viewport: scroll each into view and wait until all have drawn.
        if page.locator("div[id^='altair-viz-']").count():
            draw_charts(page)
        page.wait_for_load_state("networkidle")

        assert not console_errors, f"console errors on {page_path}: {console_errors}"

        foreign = [
            r for r in requests
            if not r.startswith(site_url) and not r.startswith(("data:", "blob:", "about:"))
        ]
        assert not foreign, f"{page_path} requested off-site resources: {foreign}"

        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        broken = []
        for href in set(hrefs):
            target = urldefrag(urljoin(url, href))[0]
            if urlparse(target).netloc != urlparse(site_url).netloc:
                continue
            if _status(target) == 404:
                broken.append(href)
        assert not broken, f"{page_path} links to missing pages: {sorted(broken)}"

        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert not bad, f"axe violations on {page_path}:\n" + "\n".join(bad)
    finally:
        context.close()
