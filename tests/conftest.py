"""Shared fixtures: the built site served on 127.0.0.1 and Debian's chromium driven by playwright."""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parent.parent
# ROS1ALK_SITE lets a chapter author test a build made elsewhere (jupyter-book build --path-output).
SITE = Path(os.environ.get("ROS1ALK_SITE", REPO / "_build" / "html"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(
        "The site tests need Debian's chromium (no browser is ever downloaded). "
        "Install it with: sudo apt-get install chromium   (make test does this when run as root)"
    )


COMPRESSIBLE = (".html", ".js", ".css", ".svg", ".json", ".txt", ".xml", ".map")


class GzipStaticHandler(http.server.SimpleHTTPRequestHandler):
    """What a static host does: keep-alive, gzip for text assets, long caching for versioned URLs."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def end_headers(self):
        query = urlparse(self.path).query
        if "v=" in query or "digest=" in query:
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        elif urlparse(self.path).path.startswith("/_static/"):
            self.send_header("Cache-Control", "public, max-age=86400")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if (not os.path.isfile(path) or not path.endswith(COMPRESSIBLE)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        with open(path, "rb") as fh:
            body = gzip.compress(fh.read(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@contextlib.contextmanager
def serve(directory: Path, handler=QuietHandler):
    """Serve ``directory`` on a free loopback port for the duration of the block; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url():
    if not (SITE / "index.html").is_file():
        raise RuntimeError(f"{SITE} has no index.html: run 'make book' first (make test does)")
    with serve(SITE) as url:
        yield url


@pytest.fixture(scope="session")
def gzip_site_url():
    """The built site served as a static host serves it: gzip, keep-alive, cache headers (page weight)."""
    if not (SITE / "index.html").is_file():
        raise RuntimeError(f"{SITE} has no index.html: run 'make book' first (make test does)")
    with serve(SITE, GzipStaticHandler) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (desktop viewport, empty cache) for one test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


# Charts are drawn only when they come near the viewport (_static/lazy-charts.js): bring each into view.
_DRAW_EVERY_CHART = """async () => {
  const charts = [...document.querySelectorAll("div[id^='altair-viz-']")];
  for (const chart of charts) {
    chart.scrollIntoView({block: "center"});
    // Stay until this chart has drawn (the observer fires on a rendering frame, late on a busy machine).
    for (let t = 0; t < 15000 && !chart.querySelector('svg, canvas'); t += 50) {
      await new Promise(done => setTimeout(done, 50));
    }
  }
  window.scrollTo(0, 0);
  return charts.length;
}"""
_ALL_DRAWN = """() => [...document.querySelectorAll("div[id^='altair-viz-']")]
    .every(chart => chart.querySelector('svg, canvas') !== null)"""


def open_page(page, url: str) -> list[str]:
    """Open ``url`` with every chart drawn; return the list collecting console errors and uncaught exceptions."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url} did not load"
    draw_charts(page)
    return errors


def draw_charts(page) -> int:
    """Scroll every chart of the open page into view, as a reader does, and wait until all have drawn."""
    n = page.evaluate(_DRAW_EVERY_CHART)
    page.wait_for_function(_ALL_DRAWN, timeout=30000)
    return n


def open_chart(page, url: str, selector: str, drawn: str = "svg", what: str = "chart"):
    """Open ``url`` and return the one chart matching ``selector`` once it has drawn ``drawn``.

    Every interactive test opens its chart this way; the page's console errors are kept on
    ``page.errors`` so a test can assert there were none.
    """
    page.errors = open_page(page, url)
    chart = page.locator(selector)
    assert chart.count() == 1, f"expected exactly one {what} on the page"
    page.wait_for_function("([sel, inner]) => document.querySelector(sel)?.querySelector(inner) != null",
                           arg=[selector, drawn], timeout=15000)
    return chart
