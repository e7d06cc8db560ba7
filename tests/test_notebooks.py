"""Static checks of the stored notebooks (nbval re-executes them; these check what the site will show)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

NOTEBOOKS = sorted((REPO / "chapters").glob("*.ipynb"))
SPEC = re.compile(r"\(function\(spec, embedOpt\)\{.*?\}\)\((\{.*\}), (\{.*?\})\);", re.S)


def code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_run_top_to_bottom_once_without_errors(path):
    cells = code_cells(path)
    counts = [c["execution_count"] for c in cells]
    assert counts == list(range(1, len(cells) + 1)), f"{path.name}: re-run with 'make refresh' ({counts})"
    errors = [i for i, c in enumerate(cells, 1) for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{path.name}: stored error output in code cell(s) {errors}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_chart_has_a_text_description(path):
    for i, cell in enumerate(code_cells(path), 1):
        for out in cell["outputs"]:
            html = "".join(out.get("data", {}).get("text/html", ""))
            if "altair-viz-" not in html:
                continue
            spec = json.loads(SPEC.search(html).group(1))
            assert len(spec.get("description", "").split()) >= 8, f"{path.name} cell {i}: chart without description"
            assert spec.get("title"), f"{path.name} cell {i}: chart without title"


def test_book_build_fails_on_a_stored_error(tmp_path):
    """A notebook saved with a failing cell must fail the strict build, naming the notebook and the cell."""
    import shutil

    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(REPO / "_config.yml", book)
    (book / "references.bib").write_text((REPO / "references.bib").read_text(encoding="utf-8"))
    (book / "intro.md").write_text("# Intro\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: broken\n")
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Broken"]},
                    {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["1 / 0"],
                     "outputs": [{"output_type": "error", "ename": "ZeroDivisionError",
                                  "evalue": "division by zero", "traceback": []}]}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (book / "broken.ipynb").write_text(json.dumps(nb))
    jupyter_book = str(Path(sys.executable).parent / "jupyter-book")
    run = subprocess.run([jupyter_book, "build", str(book), "-W", "-n", "--keep-going"],
                         capture_output=True, text=True)
    log = run.stdout + run.stderr
    assert run.returncode != 0
    assert "broken.ipynb" in log and "code cell 1" in log and "ZeroDivisionError" in log
