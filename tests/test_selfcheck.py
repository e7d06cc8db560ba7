"""Self-checks (chapters/selfcheck-NN.md) work on the static page: choosing an option shows its feedback.

Runs against the built site in Debian's chromium with every request outside 127.0.0.1 refused, so the
feedback needs no kernel and no network.
"""
from __future__ import annotations

import re

import pytest
from conftest import REPO

PAGES = sorted(p.stem for p in (REPO / "chapters").glob("selfcheck-*.md"))
OPTION = "details.selfcheck-option"


def test_every_evidence_chapter_has_a_self_check_linked_from_it():
    assert PAGES == [f"selfcheck-{n:02d}" for n in range(4, 11)]
    for name in PAGES:
        chapter = next((REPO / "chapters").glob(f"{name[-2:]}-*.ipynb"))
        assert f"]({name}.md)" in chapter.read_text(encoding="utf-8"), f"{chapter.name} does not link {name}"


@pytest.mark.parametrize("name", PAGES)
def test_choosing_an_option_shows_its_explanation_offline(site_url, browser, name):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    outside = []

    def only_local(route):
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.goto(f"{site_url}/chapters/{name}.html", wait_until="load")
    questions = page.locator("article section section:has(details.selfcheck-option)")
    assert questions.count() >= 3, f"{name}: fewer than three questions"
    for q in range(questions.count()):
        options = questions.nth(q).locator(OPTION)
        assert options.count() >= 3, f"{name} question {q + 1}: fewer than three options"
        verdicts = []
        for o in range(options.count()):
            option = options.nth(o)
            body = option.locator(".sd-summary-content")
            assert not body.is_visible(), f"{name} q{q + 1}: feedback shown before answering"
            option.locator("summary").click()
            body.wait_for(state="visible", timeout=3000)
            text = body.inner_text().strip()
            verdict = re.match(r"(Right|Not right)\.", text)
            assert verdict, f"{name} q{q + 1} option {o + 1}: feedback must start 'Right.' or 'Not right.'"
            assert len(text.split()) >= 12, f"{name} q{q + 1} option {o + 1}: explain the option"
            verdicts.append(verdict.group(1))
        assert verdicts.count("Right") == 1, f"{name} question {q + 1}: {verdicts}"
    assert not outside, f"{name}: requests outside the local site: {outside[:3]}"
    context.close()
