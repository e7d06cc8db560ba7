"""The chapters as JupyterLab (Binder) shows them, checked without a browser.

* Folding: what the site hides (hide-input, hide-cell, remove-cell, ... and solutions), JupyterLab folds
  (``jupyter.source_hidden`` / ``outputs_hidden``), and the stored metadata is in sync with the tags.
* Numbers: a computed number in prose is the number itself (no ``{glue:text}`` placeholder JupyterLab
  cannot show), and it equals the value the code recorded (nbval re-checks that record on every run).
* Learner notebooks: ``make learner`` writes chapters without solutions that still run top to bottom.
"""
from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

from ros1alk import notebooks as rn

NOTEBOOKS = sorted((REPO / "chapters").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def code(nb):
    return [rn._source(c).strip() for c in nb["cells"] if c["cell_type"] == "code" and rn._source(c).strip()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_jupyterlab_folds_what_the_site_hides(path):
    nb = read(path)
    stored = [c.get("metadata", {}).get("jupyter", {}) for c in nb["cells"]]
    stored = [{k: v for k, v in m.items() if k in ("source_hidden", "outputs_hidden")} for m in stored]
    assert stored == rn.folding(nb), f"{path.name}: fold metadata out of date; run 'python -m ros1alk.notebooks sync'"
    for cell, fold in zip(nb["cells"], stored):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"hide-input", "hide-cell", "remove-cell", "remove-input"}:
            assert fold.get("source_hidden"), f"{path.name}: a {sorted(tags)} cell is open in JupyterLab"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_solution_code_is_folded(path):
    nb = read(path)
    for start, end in rn.solution_spans(nb):
        for cell in nb["cells"][start + 1:end]:
            fold = cell.get("metadata", {}).get("jupyter", {})
            assert fold.get("source_hidden"), f"{path.name}: solution cell shown open in JupyterLab"
            first = rn._source(cell).partition("\n")[0]
            assert first == rn.SOLUTION_FIRST_LINE[cell["cell_type"]], f"{path.name}: fold would show {first!r}"
            if cell["cell_type"] == "code":
                assert fold.get("outputs_hidden"), f"{path.name}: solution output shown open in JupyterLab"


def test_sync_folding_follows_tags_and_is_idempotent():
    nb = {"cells": [
        {"cell_type": "code", "metadata": {"tags": ["hide-input"]}, "source": "x = 1", "outputs": []},
        {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "source": "y = 2", "outputs": []},
        {"cell_type": "code", "metadata": {"jupyter": {"source_hidden": True}}, "source": "stale", "outputs": []},
        {"cell_type": "markdown", "metadata": {}, "source": "```{solution-start} ex\n:class: dropdown\n```"},
        {"cell_type": "code", "metadata": {}, "source": "answer = 3", "outputs": []},
        {"cell_type": "markdown", "metadata": {}, "source": "```{solution-end}\n```"},
        {"cell_type": "code", "metadata": {"tags": ["hide-output"]}, "source": "z", "outputs": []},
    ]}
    assert rn.sync_folding(nb) == 5
    folds = [c["metadata"].get("jupyter", {}) for c in nb["cells"]]
    assert folds == [{"source_hidden": True}, {"source_hidden": True, "outputs_hidden": True}, {}, {},
                     {"source_hidden": True, "outputs_hidden": True}, {}, {"outputs_hidden": True}]
    assert rn.sync_folding(nb) == 0
    learner = rn.learner_notebook(nb)
    assert [c["source"] for c in learner["cells"]] == ["x = 1", "y = 2", "stale", "z"]


def test_learner_notebook_cuts_a_solution_inside_one_cell():
    cell = {"cell_type": "markdown", "metadata": {}, "source":
            "```{exercise}\n:label: ex\nQ?\n```\n\n```{solution-start} ex\n:class: dropdown\n```\nThe answer.\n"
            "```{solution-end}\n```\nAfter."}
    learner = rn.learner_notebook({"cells": [cell]})
    assert learner["cells"][0]["source"] == "```{exercise}\n:label: ex\nQ?\n```\n\nAfter."


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_prose_numbers_agree_with_the_code(path):
    nb = read(path)
    problems = rn.stale_numbers(nb)
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_a_changed_value_is_caught_and_refilled():
    nb = {"cells": [
        {"cell_type": "code", "metadata": {}, "source": "glue('est', 70.37, display=False)", "outputs": [
            {"output_type": "display_data", "data": {"application/papermill.record/text/plain": "70.37"},
             "metadata": {"scrapbook": {"name": "est", "mime_prefix": "application/papermill.record/"}}}]},
        {"cell_type": "markdown", "metadata": {}, "source": "Pooled: {glue:text}`est:.1f`% of 10."},
    ]}
    assert rn.stale_numbers(nb)                       # a placeholder JupyterLab cannot show
    assert rn.fill_numbers(nb) == 1
    assert nb["cells"][1]["source"] == "Pooled: 70.4% of 10."
    assert rn.stale_numbers(nb) == []
    nb["cells"][0]["outputs"][0]["data"]["application/papermill.record/text/plain"] = "71.04"
    assert rn.stale_numbers(nb) == ["cell 1: prose says 70.4 but est:.1f is now 71.0"]
    rn.fill_numbers(nb)
    assert nb["cells"][1]["source"] == "Pooled: 71.0% of 10." and rn.stale_numbers(nb) == []


@pytest.fixture(scope="module")
def teaching_sets(tmp_path_factory):
    out = tmp_path_factory.mktemp("teaching")
    rn.write_teaching_sets(out, NOTEBOOKS)
    return out


GATE_TEXT = re.compile(r"\{solution-(start|end)\}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_learner_notebook_has_no_solution(teaching_sets, path):
    chapter = read(path)
    learner = read(teaching_sets / "learner" / path.name)
    instructor = read(teaching_sets / "instructor" / path.name)
    assert [rn._source(c) for c in instructor["cells"]] == [rn._source(c) for c in chapter["cells"]]
    solution_code = {rn._source(c).strip() for a, b in rn.solution_spans(chapter)
                     for c in chapter["cells"][a + 1:b] if c["cell_type"] == "code"}
    assert not solution_code & set(code(learner)), f"{path.name}: solution code in the learner notebook"
    assert not any(GATE_TEXT.search(rn._source(c)) for c in learner["cells"]), f"{path.name}: solution left"
    exercises = sum(rn._source(c).count("{exercise}") for c in chapter["cells"])
    assert sum(rn._source(c).count("{exercise}") for c in learner["cells"]) == exercises
    assert set(code(learner)) <= set(code(chapter))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_learner_notebook_runs_top_to_bottom(teaching_sets, path):
    target = teaching_sets / "learner" / path.name
    nb = nbformat.read(target, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(target.parent)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name} (learner): {errors[0]['ename']}: {errors[0]['evalue']}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_clinical_figure_in_the_prose_has_a_source(path):
    """Each percentage, decimal, fraction or count of months/mg/patients is a data cell, a computed value
    or a declared literal (with why no table holds it): none is typed by hand unnoticed."""
    missing = rn.unsourced_figures(read(path))
    assert not missing, f"{path.name}: {len(missing)} figure(s) without a source, e.g. " + "; ".join(
        f"cell {i}: {fig} in '…{ctx}…'" for i, fig, ctx in missing[:5])


def test_data_numbers_are_matched_whole_checked_and_refilled(tmp_path):
    (tmp_path / "outcomes.csv").write_text("id,value,n\nOUT-1,72,53\n", encoding="utf-8")
    assert rn.data_value("outcomes:OUT-1:value", tmp_path) == "72"
    assert rn.data_value("outcomes:OUT-1:n:.1f", tmp_path) == "53.0"
    with pytest.raises(KeyError, match="no row"):
        rn.data_value("outcomes:OUT-9:value", tmp_path)
    # whole numbers only, never inside a citation
    text = "Lin et al. [2017](bibliography.md#lin2017) saw 17 of 172 (7.2%), and 7 of 17 in {cite:t}`x7`."
    assert rn.find_number(text, "17") == text.index(" 17 of") + 1
    assert rn.find_number(text, "7") == text.index(" 7 of") + 1
    assert rn.find_number(text, "2017") == -1
    figures = [f for _, f in rn.prose_figures("ORR 72% (95% CI 61–82%), 13/21, PFS 8.5 months in 2019.")]
    assert figures == ["72", "61", "82", "13", "21", "8.5"]


def test_a_figure_without_a_source_is_found_and_a_wrong_source_refused():
    cell = {"cell_type": "markdown", "id": "c1", "metadata": {}, "source": "ORR 72% in 53 patients; HR 0.51."}
    nb = {"cells": [cell]}
    assert [f for _, f, _ in rn.unsourced_figures(nb)] == ["72", "53", "0.51"]
    problems = rn.add_sources(nb, [{"cell": "c1", "text": "72", "literal": "example"},
                                   {"cell": 0, "text": "53", "literal": "guess"}])
    assert problems and "guess" in problems[0] and "numbers" not in cell["metadata"].get("ros1alk", {})
    assert rn.add_sources(nb, [{"cell": "c1", "text": "0.51", "literal": "example"},
                               {"cell": "c1", "text": "72", "literal": "example"}]) == []
    assert [e["text"] for e in cell["metadata"]["ros1alk"]["numbers"]] == ["72", "0.51"]
    assert [f for _, f, _ in rn.unsourced_figures(nb)] == ["53"]
