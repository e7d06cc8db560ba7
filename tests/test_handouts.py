"""`make handouts` wrote one black-and-white PDF per teaching session (scripts/handouts.py).

`make test` runs `make handouts` first; run it by hand after `make book` to use this file alone.
"""
from __future__ import annotations

import importlib.util
import sys
import unicodedata

import pypdf
import pytest
from conftest import REPO, SITE

_spec = importlib.util.spec_from_file_location("handouts", REPO / "scripts" / "handouts.py")
handouts = importlib.util.module_from_spec(_spec)
sys.modules["handouts"] = handouts  # dataclasses look their module up
_spec.loader.exec_module(handouts)
OUT = REPO / "_build" / "handouts"


def test_one_handout_per_session_of_the_guide():
    guide = (REPO / "chapters" / "teaching-guide.md").read_text(encoding="utf-8")
    for s in handouts.SESSIONS:
        assert f"## Session {s.number}: {s.title}\n" in guide, f"session {s.number} title differs from the guide"
    assert sorted(p.name for p in OUT.glob("session-*.pdf")) == sorted(
        f"session-{s.number}.pdf" for s in handouts.SESSIONS), "run 'make handouts' (make test does)"


@pytest.mark.parametrize("session", handouts.SESSIONS, ids=lambda s: f"session-{s.number}")
def test_handout_pages_and_contents(session):
    path = OUT / f"session-{session.number}.pdf"
    assert path.is_file(), f"{path} missing: run 'make handouts'"
    case_page = SITE / session.case_page
    assert path.stat().st_mtime >= case_page.stat().st_mtime, f"{path.name} is older than the site: make handouts"
    reader = pypdf.PdfReader(path)
    pages = [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in reader.pages]
    # case sheet (one page), key charts and tables (one or two), checklist (one page)
    assert 3 <= len(pages) <= 5, f"{path.name}: {len(pages)} pages"
    assert reader.metadata.title == f"Session {session.number} handout: {session.title}"
    assert pages[0].startswith(f"Session {session.number} case sheet: {session.title}")
    assert "We return to this case" in pages[0], f"{path.name}: the case sheet runs past page 1"
    assert pages[1].startswith(f"Session {session.number}: key charts and tables")
    for fig in session.figures:
        assert fig.caption.split("(")[0].strip()[:40] in " ".join(pages[1:-1]), f"{path.name}: {fig.caption}"
    assert pages[-1].startswith("Before comparing trials: a checklist")
    assert all(item in pages[-1] for item in ("Population.", "Denominator.", "Precision."))
    text = " ".join(pages)
    assert "Model answer" not in text and "facilitator key" not in text.lower(), "a key leaked into a handout"
