"""Completeness: every row and cell of Tables 2, 3 and 4 of the crizotinib review is in data/.

The fixtures are the tables' text as extracted from the review (tests/fixtures/zhong2024_table*.tsv),
so the check counts against the source itself, not against our own reading of it.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import ros1alk as rk

FIXTURES = Path(__file__).parent / "fixtures"
NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)")


def rows_of(name):
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines]


def matches(stored: float, printed: str) -> bool:
    """A stored value matches a printed one if it rounds to it at the printed precision."""
    places = -Decimal(printed).as_tuple().exponent
    return round(float(stored), places) == float(printed)


def ref_key(ref_cell: str) -> str:
    number = re.search(r"\[(\d+)\]", ref_cell).group(1)
    refs = rk.load("references")
    hit = refs[refs["cited_as"].str.contains(rf"(?:^|; )000 \[{number}\]", regex=True)]
    assert len(hit) == 1, f"reference [{number}] of the crizotinib review maps to {list(hit['key'])}"
    return hit["key"].iloc[0]


OUTCOMES = rk.load("outcomes")
STUDIES = rk.load("studies").set_index("study_id")

TABLE2_IDS = ["profile1001_ros1", "eucross", "oo1201", "metros", "acse"]
TABLE2 = rows_of("zhong2024_table2.tsv")


def test_table2_has_five_trials():
    assert len(TABLE2) - 1 == len(TABLE2_IDS) == 5
    assert [STUDIES.loc[s, "name"] for s in TABLE2_IDS] == [re.sub(r" \(\d+\)$", "", r[0]) for r in TABLE2[1:]]


@pytest.mark.parametrize("study_id,row", list(zip(TABLE2_IDS, TABLE2[1:])), ids=TABLE2_IDS)
def test_table2_every_cell(study_id, row):
    study, phase, line, orr, pfs, os_, dor, os_rate, ref = row
    s = STUDIES.loc[study_id]
    assert int(re.search(r"\((\d+)\)", study).group(1)) == s["n_treated"]
    assert s["phase"] == phase and s["treatment_line"] == line
    t2 = rk.from_source(OUTCOMES[OUTCOMES["study_id"].eq(study_id)], "Table 2")
    key = ref_key(ref)
    assert set(t2["citation"]) == {key}

    def cell(endpoint, printed):
        got = t2[t2["endpoint"].eq(endpoint)]
        if printed == "–":
            assert got.empty, f"{study_id} {endpoint}: the source cell is empty"
        elif printed == "NR":
            assert len(got) == 1 and got["qualifier"].iloc[0] == "NR"
        else:
            assert len(got) == 1 and matches(got["value"].iloc[0], printed.rstrip("%")), (endpoint, printed)

    cell("ORR", orr)
    cell("PFS_median", pfs)
    cell("OS_median", os_)
    cell("DOR_median", dor)
    rates = t2[t2["endpoint"].eq("OS_rate")]
    printed = re.findall(r"(\d+) months: ([\d.]+)%", os_rate)
    assert len(rates) == len(printed)
    for months, pct in printed:
        hit = rates[rates["timepoint_months"].eq(float(months))]
        assert len(hit) == 1 and matches(hit["value"].iloc[0], pct)


TABLE3_IDS = ["zhang2016", "zeng2018", "li2018", "liu2019", "zhu2019", "xu2020", "shen2020", "zheng2020", "zhang2021"]
TABLE3 = rows_of("zhong2024_table3.tsv")


def test_table3_has_nine_studies():
    assert len(TABLE3) - 1 == len(TABLE3_IDS) == 9


def _numbers(cell: str):
    """Printed values and p-values of a cell, ignoring '1st' and footnote marks."""
    cell = cell.replace("(1st line)", "")
    p_values = re.findall(r"p [=<] ([\d.]+)", cell)
    values = NUMBER.findall(re.sub(r"p [=<] [\d.]+", "", cell))
    return values, p_values, cell.count("NR")


@pytest.mark.parametrize("study_id,row", list(zip(TABLE3_IDS, TABLE3[1:])), ids=TABLE3_IDS)
def test_table3_every_cell(study_id, row):
    study, line, regimen, *cells, ref = row
    s = STUDIES.loc[study_id]
    count, pct = re.search(r"\((\d+)[;,] ([\d.]+)%\)", study).groups()
    assert int(count) in {s["n_screened"], s["n_positive"]}
    assert matches(s["percent_positive"], pct)
    assert s["treatment_line"] == line
    t3 = rk.from_source(OUTCOMES[OUTCOMES["study_id"].eq(study_id)], "Table 3")
    assert set(t3["citation"]) == {ref_key(ref)}
    for endpoint, printed in zip(["ORR", "DCR", "PFS_median", "OS_median"], cells):
        got = t3[t3["endpoint"].eq(endpoint)]
        if printed == "–":
            assert got.empty, f"{study_id} {endpoint}: the source cell is empty"
            continue
        values, p_values, n_nr = _numbers(printed)
        assert len(got) == len(values) + n_nr, f"{study_id} {endpoint}: {printed!r} vs {len(got)} rows"
        assert (got["qualifier"] == "NR").sum() == n_nr
        stored = list(got["value"].dropna())
        for v in values:
            assert any(matches(x, v) for x in stored), f"{study_id} {endpoint}: {v} missing"
        for p in p_values:
            assert got["p_value"].eq(float(p)).any(), f"{study_id} {endpoint}: p = {p} missing"
        unit = "days" if "days" in printed else "months" if endpoint != "ORR" and endpoint != "DCR" else "percent"
        assert set(got["unit"]) == {unit}


TABLE4 = rows_of("zhong2024_table4.tsv")
SPELLING = {"Carbozantinib": "cabozantinib", "Taletectinib": "taletrectinib"}
CATEGORY = {"†": "≤50 nmol/l", "‡": "50 to <200 nmol/l", "§": "≥200 nmol/l"}


def table4_cells():
    drugs = [SPELLING.get(d, d).lower() for d in TABLE4[0] if d.strip()]
    body = [r for r in TABLE4[1:]]
    # The text extraction wrapped one label: a value-less line continues the label of the row above it.
    rows = []
    for r in body:
        if not any(c.strip() for c in r[1:]):
            rows[-1][0] = rows[-1][0] + "/" + r[0]
        else:
            rows.append(list(r))
    cells = []
    for r in rows:
        for drug, cell in zip(drugs, r[1:]):
            m = re.fullmatch(r"(>)?([\d.]+) \[(.)\]", cell.strip())
            cells.append((r[0], drug, m.group(1), m.group(2), m.group(3)))
    return cells


def test_table4_label_and_spelling_fixes_are_errata():
    errata = rk.load("errata")
    recorded = {}
    for wrong in [*SPELLING, "G2032R/L2086F"]:
        hit = errata[errata["reported"].str.contains(wrong, regex=False)
                     | errata["resolution"].str.contains(wrong, regex=False)]
        assert len(hit) == 1, f"the correction of {wrong!r} is recorded in {len(hit)} errata, not one"
        recorded[wrong] = tuple(hit[["erratum_id", "action", "kind"]].iloc[0])
    assert recorded == {"Carbozantinib": ("E000-03", "corrected", "typo"),
                        "Taletectinib": ("E000-04", "corrected", "typo"),
                        "G2032R/L2086F": ("E000-02", "corrected", "extraction")}


def test_table4_every_cell():
    ic50 = rk.load("ic50")
    cells = table4_cells()
    assert len(cells) == len(ic50) == 90
    for genotype, drug, gt, value, symbol in cells:
        hit = ic50[ic50["genotype"].eq(genotype) & ic50["drug"].eq(drug)]
        assert len(hit) == 1, (genotype, drug)
        row = hit.iloc[0]
        assert matches(row["value"], value)
        assert (row["qualifier"] == "gt" if pd.notna(row["qualifier"]) else False) == bool(gt)
        assert row["symbol"] == symbol and row["category"] == CATEGORY[symbol]


def test_every_number_in_both_reviews_is_in_the_data():
    """Every number in the body of both reviews (fixture: seed, line, number) occurs in some table of data/.

    A coarse guard against forgotten statements: it cannot tell which row a number belongs to, but a
    number that occurs nowhere in data/ was certainly not captured. Section-heading numbers are excluded
    in the fixture, with the reason.
    """
    import csv

    tokens = set()
    for path in (Path(__file__).parent.parent / "data").glob("*.csv"):
        text = path.read_text(encoding="utf-8").replace(",", " ")
        for t in re.findall(r"\d+(?:\.\d+)?", text):
            tokens.add(t)
    with (FIXTURES / "seed_numbers.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) > 1000
    missing = [f"{r['seed']}:{r['line']} {r['number']}" for r in rows
               if not r["excluded_because"] and r["number"] not in tokens and r["number"].lstrip("0") not in tokens]
    assert not missing, f"numbers of the reviews found nowhere in data/: {missing}"
