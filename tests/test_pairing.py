"""Reviewable notebooks: every chapter has its MyST text pair, the pair agrees, and `make refresh` is deterministic."""
from __future__ import annotations

import difflib
import hashlib
import json
import re
import subprocess
import sys

import jupytext
import nbformat
import pytest
from conftest import REPO

NOTEBOOKS = sorted((REPO / "chapters").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
SPEC = re.compile(r"\(function\(spec, embedOpt\)\{.*?\}\)\((\{.*\}), (\{.*?\})\);", re.S)
CHART_ID = re.compile(r'<div id="(altair-viz-[0-9a-f]{32})"')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_text_pair_matches_the_notebook(path):
    text = REPO / "text" / f"{path.stem}.md"
    assert text.is_file(), f"{path.name} has no text pair: run 'make refresh' (or scripts/refresh.py {path})"
    expected = jupytext.writes(nbformat.read(path, as_version=4), fmt="md:myst")
    stored = text.read_text(encoding="utf-8")
    if stored != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), stored.splitlines(True),
                                            f"from {path.name}", f"text/{text.name}", n=1))
        pytest.fail(f"text/{text.name} and chapters/{path.name} have drifted apart: edit one, then run "
                    f"'.venv/bin/jupytext --sync chapters/{path.name}' or 'make refresh'.\n{diff[:3000]}")


def test_every_text_notebook_has_its_chapter():
    chapters = {p.stem for p in NOTEBOOKS}
    orphans = sorted(p.name for p in (REPO / "text").glob("*.md") if p.stem not in chapters)
    assert not orphans, f"text notebooks without a chapter: {orphans}"


def test_text_notebooks_stay_out_of_the_book():
    config = (REPO / "_config.yml").read_text(encoding="utf-8")
    assert re.search(r"exclude_patterns:.*\btext\b", config), "_config.yml must exclude text/ from the book"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_notebook_has_no_run_noise(path):
    """What make refresh writes: no execution timestamps, unique cell ids, chart ids derived from the chart."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    timed = [i for i, c in enumerate(nb["cells"]) if "execution" in c["metadata"]]
    assert not timed, f"{path.name}: cells {timed} carry execution timings; refresh with scripts/refresh.py"
    ids = [c.get("id") for c in nb["cells"]]
    assert all(ids) and len(set(ids)) == len(ids), f"{path.name}: missing or repeated cell ids"
    # ros1alk.charts.chart_id: sha256 of "<n>:<spec>", n counting the charts the notebook displayed.
    count = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            html = "".join(out.get("data", {}).get("text/html", ""))
            found = CHART_ID.search(html)
            if not found:
                continue
            count += 1
            spec = json.loads(SPEC.search(html).group(1))
            digest = hashlib.sha256(f"{count}:{json.dumps(spec, sort_keys=True)}".encode()).hexdigest()[:32]
            assert found.group(1) == f"altair-viz-{digest}", f"{path.name}: chart {count} has a random id"


def test_refresh_reproduces_a_stored_notebook_byte_for_byte():
    """Re-executing chapter 00 as make refresh does gives exactly the stored file (nothing is written)."""
    run = subprocess.run([sys.executable, "scripts/refresh.py", "--check", "chapters/00-how-this-book-works.ipynb"],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_helper_is_defined_in_two_chapters():
    """Shared logic lives in ros1alk/; a function defined in two chapters has been copied (or shadows another)."""
    import ast

    defined: dict[str, list[str]] = {}
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            for node in ast.parse(source).body:
                if isinstance(node, ast.FunctionDef | ast.ClassDef):
                    defined.setdefault(node.name, []).append(path.stem)
    repeated = {name: where for name, where in defined.items() if len(set(where)) > 1}
    assert not repeated, f"move these into ros1alk/ (defined in several chapters): {repeated}"
