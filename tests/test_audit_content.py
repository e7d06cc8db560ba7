"""Chapter 10 (audit), the teaching guide and the landing page: what they show follows the verified data."""
from __future__ import annotations

import json
import re

from conftest import REPO

import ros1alk as rk

CHAPTER = REPO / "chapters" / "10-audit.ipynb"
SPEC = re.compile(r"\(function\(spec, embedOpt\)\{.*?\}\)\((\{.*\}), (\{.*?\})\);", re.S)


def _cells():
    return json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]


def _chart_rows(title: str) -> list[dict]:
    for cell in _cells():
        for out in cell.get("outputs", []):
            html = "".join(out.get("data", {}).get("text/html", ""))
            match = SPEC.search(html) if "altair-viz-" in html else None
            if match and title in json.dumps(json.loads(match.group(1)).get("title", "")):
                spec = json.loads(match.group(1))
                return [row for rows in spec.get("datasets", {}).values() for row in rows]
    raise AssertionError(f"no stored chart titled {title!r}")


def test_line_of_therapy_scatter_drops_or_corrects_disputed_lines():
    """No study is plotted at a first-line share that a clinical erratum disputes (METROS: pretreated, E000-21)."""
    errata = rk.load("errata")
    studies = rk.load("studies").set_index("study_id")
    rows = _chart_rows("Crizotinib in ROS1: response against line")
    assert rows, "the scatter has no data"
    disputed = errata[errata["kind"].isin(["clinical", "outdated"]) & errata["affects"].notna()]
    disputed_ids = {a.removeprefix("studies:") for aff in disputed["affects"] for a in aff.split("; ")
                    if a.startswith("studies:")}
    for row in rows:
        if row["study_id"] in disputed_ids:
            # plotted only at the corrected value, and labelled with the erratum
            assert row["first_line_percent"] == studies.loc[row["study_id"], "first_line_percent"]
            assert row["line of therapy"].startswith("corrected")
    assert not any(r["name"] == "METROS" and r["first_line_percent"] == 76 for r in rows)


def test_comparison_table_takes_the_drug_from_the_outcome_row():
    table_cell = next("".join(c["source"]) for c in _cells() if "POPULATION_ORDER" in "".join(c["source"]))
    assert not re.search(r'"(entrectinib|lorlatinib|crizotinib)"', table_cell), "drug labels must come from the rows"
    outcomes = rk.load("outcomes").set_index("id")
    text = "".join("".join(o.get("text", "")) for c in _cells() for o in c.get("outputs", []))
    # every response-rate row the footnote names is shown with the drug its row carries
    for name, _target, drug, row in re.findall(r"  (.+?) \((ALK|ROS1), ([a-z]+)\): ORR row (OUT-\d{3})", text):
        assert outcomes.loc[row, "drug"] == drug, (name, row)


def test_biases_section_has_a_folded_answer_for_each_bias():
    text = "".join("".join(c["source"]) for c in _cells() if c["cell_type"] == "markdown")
    flat = " ".join(text.split())
    assert "## 8. Biases a reader must catch" in text
    for label in ["ex-10-selection", "ex-10-funding", "ex-10-nonsequitur", "ex-10-preclinical",
                  "ex-10-assays", "ex-10-detection", "ex-10-ethnicity"]:
        assert f":label: {label}" in text and f"{{solution-start}} {label}" in text, label
    for quote in ["statistically significant sample sizes", "funded by Pfizer China",
                  "could be a second-line choice", "25.86 against 10.08", "E000-90"]:
        assert quote in flat, quote
    errata = rk.load("errata").set_index("erratum_id")
    assert errata.loc["E000-90", "kind"] == "interpretation"
    assert "REC-005" in errata.loc["E000-90", "affects"]


def test_pages_say_not_medical_advice_and_explain_verification():
    chapter = "".join("".join(c["source"]) for c in _cells())
    guide = (REPO / "chapters" / "teaching-guide.md").read_text(encoding="utf-8")
    intro = (REPO / "intro.md").read_text(encoding="utf-8")
    for page in (chapter, guide, intro):
        assert "Educational material, not medical advice" in page
    for status in ("**checked**", "**corrected**", "**source-only**", "**disputed**"):
        assert status in intro
    assert "cited, validated table" not in intro and "schema-validated" in intro


def test_teaching_guide_states_corrected_facts_with_their_errata():
    guide = (REPO / "chapters" / "teaching-guide.md").read_text(encoding="utf-8")
    assert "colleague's tumour" not in guide
    kit = guide + "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "chapters" / "teaching").glob("*.md")))
    assert "PD-L1 expression of 90%" in kit and "GOPC" in kit and "RNA-based sequencing" in kit
    errata = set(rk.load("errata")["erratum_id"])
    for fact, erratum in [("CYP3A4 *inducer*", "E004-60"), ("not an FDA-approved test", "E004-50"),
                          ("lorlatinib's figures", "E004-40"), ("METROS enrolled pretreated", "E000-21"),
                          ("after second-generation ALK inhibitors", "E004-70"),
                          ("not a drug for ROS1 G2032R", "E000-74"), ("Immunotherapy is not", "E000-91")]:
        assert fact in guide, fact
        assert erratum in guide and erratum in errata, erratum
