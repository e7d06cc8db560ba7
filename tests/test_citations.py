"""Citations read as author and year in JupyterLab, and as sphinxcontrib-bibtex citations on the site.

The notebooks hold each citation as a Markdown link (``[Shaw et al. (2019)](bibliography.md#shaw2019b)``),
which jupyterlab-myst shows as it is; the site turns it back into ``{cite:t}`shaw2019b``` as it reads the
notebook (``ros1alk.citations``). These tests hold the notebooks to that form, check the round trip, and
compare each notebook's citation texts with what the built site prints in the same place.
"""
from __future__ import annotations

import html
import json
import re

import pytest
from conftest import REPO, SITE

from ros1alk import citations as rc
from ros1alk import notebooks as rn

NOTEBOOKS = sorted((REPO / "chapters").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_citations_are_readable_links_current_with_the_bibliography(path):
    nb = read(path)
    assert not rc.stale_citations(nb), "; ".join(rc.stale_citations(nb)[:5])
    text = path.read_text(encoding="utf-8")
    assert "{cite:" not in text, f"{path.name}: a cite role JupyterLab shows as a warning"


def test_roles_and_links_round_trip():
    src = "As {cite:t}`tremblay2022` found {cite:p}`shaw2019b,drilon2022`; see {cite:p}`fda2024`."
    links = rc.roles_to_links(src)
    assert links == ("As [Tremblay et al. (2022)](bibliography.md#tremblay2022) found "
                     "[(Shaw et al., 2019; Drilon et al., 2022)](bibliography.md#shaw2019b,drilon2022); "
                     "see [(U.S. Food and Drug Administration, 2024)](bibliography.md#fda2024).")
    assert rc.links_to_roles(links) == src
    # an ordinary link to the bibliography page is left alone
    assert rc.links_to_roles("the [bibliography](bibliography.md)") == "the [bibliography](bibliography.md)"


def test_a_stale_text_or_unknown_key_is_caught_and_refilled():
    nb = {"cells": [{"cell_type": "markdown", "metadata": {},
                     "source": "[Shaw (2018)](bibliography.md#shaw2019b) and {cite:t}`nosuchkey2020`"}]}
    problems = rc.stale_citations(nb)
    assert any("shows as a warning" in p for p in problems)
    assert any("'Shaw (2018)' should be 'Shaw et al. (2019)'" in p for p in problems)
    nb["cells"][0]["source"] = "[Shaw (2018)](bibliography.md#shaw2019b)"
    assert rc.fill_citations(nb) == 1
    assert nb["cells"][0]["source"] == "[Shaw et al. (2019)](bibliography.md#shaw2019b)"
    assert rc.stale_citations(nb) == []


def _markdown_in_reading_order(nb):
    """Markdown cells, and Markdown that code cells display, in the order the page shows them."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            yield "".join(cell["source"])
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if md:
                yield "".join(md)


def _site_items(span_html: str) -> list[str]:
    """'Tremblay <em>et al.</em> [<a>2022</a>]' -> ['Tremblay et al., 2022'] (one item per work cited)."""
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", span_html))).strip()
    text = text.replace(" and others", " et al.")
    if text.startswith("["):                                   # parenthetical: [A et al., 2019, B, 2020]
        parts = re.findall(r"(.+?), (\d{4}|n\.d\.)(?:, |$)", text[1:-1])
        return sorted(f"{who}, {year}" for who, year in parts)
    return sorted(f"{who}, {year}" for who, year in re.findall(r"(.+?) \[(\d{4}|n\.d\.)\](?:, |$)", text))


def _notebook_items(link_text: str) -> list[str]:
    body = link_text[1:-1] if link_text.startswith("(") else link_text
    items = [re.sub(r" \((\d{4}|n\.d\.)\)$", r", \1", part.strip()) for part in body.split("; ")]
    return sorted(items)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_jupyterlab_citation_text_is_what_the_site_prints(path):
    page = SITE / "chapters" / f"{path.stem}.html"
    assert page.exists(), "build the site first (make book)"
    spans = re.findall(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', page.read_text(encoding="utf-8"), re.S)
    links = [m["text"] for text in _markdown_in_reading_order(read(path)) for m in rc.LINK.finditer(text)]
    assert len(spans) == len(links), f"{path.name}: the site shows {len(spans)} citations, the notebook {len(links)}"
    for span, link in zip(spans, links):
        assert _site_items(span) == _notebook_items(link), (span, link)
    assert "bibliography.md#" not in page.read_text(encoding="utf-8"), "a citation link reached the site unconverted"


def test_numbers_never_match_inside_a_citation_link():
    text = "[Lin et al. (2017)](bibliography.md#lin2017) saw 17 of 20."
    assert rn.find_number(text, "17") == text.index("17 of")
