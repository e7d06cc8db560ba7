"""Citations that read the same on the site and in JupyterLab.

JupyterLab (with jupyterlab-myst) cannot resolve a bibliography, so a MyST role such as
``{cite:t}`shaw2019b``` shows there as "⚠ shaw2019b". The chapters therefore write every citation as a
plain Markdown link whose text is the author-year citation itself:

=================================  =================================================================
in the notebook (JupyterLab)       ``[Shaw et al. (2019)](bibliography.md#shaw2019b)``
on the site (Sphinx)               ``{cite:t}`shaw2019b``` (sphinxcontrib-bibtex, linked to the entry)
=================================  =================================================================

A text in round brackets is a parenthetical citation, ``[(Shaw et al., 2019; Drilon et al.,
2020)](bibliography.md#shaw2019b,drilon2020)`` -> ``{cite:p}`shaw2019b,drilon2020```.

* :func:`setup` is a Sphinx extension: on ``source-read`` of a notebook it turns each such link back into
  the role, so the site keeps sphinxcontrib-bibtex's citations, tooltips and nitpicky key checks.
* :func:`citation_text` writes the link text from ``references.bib`` (author surnames and year), and
  :func:`fill_citations` / :func:`stale_citations` keep it in step with the bibliography, like the numbers in
  ``ros1alk.notebooks``. ``tests/test_citations.py`` also compares each text with the site's rendering.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

BIB = Path(__file__).resolve().parent.parent / "references.bib"
ROLE = re.compile(r"\{cite:(?P<role>[pt])\}`(?P<keys>[^`]+)`")
LINK = re.compile(r"\[(?P<text>[^\[\]]*)\]\(bibliography\.md#(?P<keys>[A-Za-z0-9_\-]+(?:,[A-Za-z0-9_\-]+)*)\)")


@lru_cache(maxsize=4)
def _entries(bib: str) -> dict:
    from pybtex.database import parse_file

    return parse_file(bib).entries


def _surname(person) -> str:
    name = " ".join(person.prelast_names + person.last_names)
    return re.sub(r"\\(?=[&%$#_])", "", name).replace("{", "").replace("}", "")  # BibTeX {Org}, \& -> &


def author_year(key: str, bib: str | Path = BIB) -> tuple[str, str]:
    """``'tremblay2022'`` -> ``('Tremblay et al.', '2022')``: one surname, two joined by "and", more "et al."."""
    entries = _entries(str(bib))
    if key not in entries:
        raise KeyError(f"no entry {key!r} in {Path(bib).name}")
    entry = entries[key]
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_surname(p) for p in people]
    if not names:
        raise KeyError(f"{key}: no author")
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2 and names[1] != "others":
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return who, entry.fields.get("year", "n.d.")


def citation_text(keys: list[str], role: str, bib: str | Path = BIB) -> str:
    """The link text: ``Shaw et al. (2019)`` (role t) or ``(Shaw et al., 2019; Lin et al., 2021)`` (role p)."""
    pairs = [author_year(k, bib) for k in keys]
    if role == "t":
        return "; ".join(f"{who} ({year})" for who, year in pairs)
    return "(" + "; ".join(f"{who}, {year}" for who, year in pairs) + ")"


def citation_link(keys: str | list[str], role: str = "t", bib: str | Path = BIB) -> str:
    """A citation as code writes it into Markdown output: ``citation_link("shaw2019b")``."""
    keys = _keys(keys) if isinstance(keys, str) else list(keys)
    return f"[{citation_text(keys, role, bib)}](bibliography.md#{','.join(keys)})"


def _keys(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


def role_of(link_text: str) -> str:
    return "p" if link_text.startswith("(") else "t"


def roles_to_links(text: str, bib: str | Path = BIB) -> str:
    """Every ``{cite:t}``/``{cite:p}`` role in a Markdown text becomes a citation link."""
    def link(m):
        keys = _keys(m["keys"])
        return f"[{citation_text(keys, m['role'], bib)}](bibliography.md#{','.join(keys)})"
    return ROLE.sub(link, text)


def links_to_roles(text: str) -> str:
    """What the site reads: every citation link becomes the sphinxcontrib-bibtex role again."""
    return LINK.sub(lambda m: f"{{cite:{role_of(m['text'])}}}`{m['keys']}`", text)


def _markdown(nb):
    for i, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") == "markdown":
            src = cell["source"]
            yield i, cell, "".join(src) if isinstance(src, list) else src


def fill_citations(nb, bib: str | Path = BIB) -> int:
    """Turn roles into links and rewrite every link text from the bibliography; returns cells changed."""
    changed = 0
    for _, cell, text in _markdown(nb):
        new = roles_to_links(text, bib)
        new = LINK.sub(lambda m: f"[{citation_text(_keys(m['keys']), role_of(m['text']), bib)}]"
                                 f"(bibliography.md#{m['keys']})", new)
        if new != text:
            cell["source"] = new
            changed += 1
    return changed


def stale_citations(nb, bib: str | Path = BIB) -> list[str]:
    """Citations JupyterLab would show wrongly: a role left in a notebook, an unknown key, a stale text."""
    problems = []
    for i, _, text in _markdown(nb):
        for m in ROLE.finditer(text):
            problems.append(f"cell {i}: role {m.group(0)} shows as a warning in JupyterLab")
        for m in LINK.finditer(text):
            try:
                want = citation_text(_keys(m["keys"]), role_of(m["text"]), bib)
            except KeyError as exc:
                problems.append(f"cell {i}: {exc}")
                continue
            if m["text"] != want:
                problems.append(f"cell {i}: link text {m['text']!r} should be {want!r}")
    return problems


def _source_read(app, docname, source):
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        source[0] = links_to_roles(source[0])


def setup(app):
    app.connect("source-read", _source_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
