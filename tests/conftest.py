"""Shared fixtures: the built site served on 127.0.0.1 and Debian's chromium driven by playwright."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@pytest.fixture(scope="session")
def site_url():
    if not (SITE / "index.html").is_file():
        raise RuntimeError(f"{SITE} has no index.html: run 'make book' first (make test does)")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


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


def open_chart(page, url: str, selector: str, drawn: str = "svg", what: str = "chart"):
    """Open ``url`` and return the one chart matching ``selector`` once it has drawn ``drawn``."""
    page.goto(url, wait_until="load")
    chart = page.locator(selector)
    assert chart.count() == 1, f"expected exactly one {what} on the page"
    page.wait_for_function("([sel, inner]) => document.querySelector(sel)?.querySelector(inner) != null",
                           arg=[selector, drawn], timeout=15000)
    return chart
