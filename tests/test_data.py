"""The evidence tables: schema validity, semantic rules, references, the percentage audit, and proof
that validation fails loudly (naming file, row and field) on corrupted copies."""
from __future__ import annotations

import csv
import math
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import ros1alk as rk
from ros1alk.data import validate_resource
from conftest import REPO

TABLES = rk.resource_names()


def test_datapackage_matches_its_generator():
    run = subprocess.run([sys.executable, "-m", "ros1alk.datapackage", "--check"], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_every_field_is_documented():
    dictionary = rk.schema_table()
    assert (dictionary["description"].str.len() > 5).all()
    every_csv = {p.stem for p in (REPO / "data").glob("*.csv")}
    assert every_csv == set(TABLES), "every CSV in data/ must be a resource of datapackage.json"


@pytest.mark.parametrize("name", TABLES)
def test_table_is_valid(name):
    errors = validate_resource(name)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("name", TABLES)
def test_every_row_has_citation_and_locator(name):
    frame = rk.load(name)
    if "citation" in frame:
        assert frame["citation"].notna().all()
    if "source" in frame:
        assert frame["source"].notna().all()


def test_loader_returns_typed_frames():
    outcomes = rk.load("outcomes")
    assert outcomes["value"].dtype == "float64"
    assert str(outcomes["n"].dtype) == "Int64"
    assert str(outcomes["endpoint"].dtype) == "string"


# --- semantic rules -------------------------------------------------------------------------------

def test_intervals_contain_their_estimates():
    o = rk.load("outcomes")
    both = o.dropna(subset=["value", "ci_low", "ci_high"])
    bad = both[(both["ci_low"] > both["value"]) | (both["value"] > both["ci_high"])]
    assert bad.empty, bad[["id", "value", "ci_low", "ci_high"]]
    low_only = o.dropna(subset=["value", "ci_low"])
    assert (low_only["ci_low"] <= low_only["value"]).all()


def test_ranges_are_ordered():
    for name, lo, hi in [("outcomes", "value", "value_max"), ("prevalence", "value", "value_max"),
                         ("adverse_events", "percent", "percent_max"), ("fusion_partners", "percent", "percent_max"),
                         ("resistance_mutations", "percent", "percent_max"), ("pharmacology", "value", "value_max")]:
        f = rk.load(name).dropna(subset=[lo, hi])
        assert (f[lo] <= f[hi]).all(), f"{name}: a range with its lower bound above its upper bound"
        assert (rk.load(name).dropna(subset=[hi])["qualifier"] == "range").all(), f"{name}: value_max without 'range'"


def test_counts_never_exceed_totals():
    for name, part, whole in [("outcomes", "n_events", "n"), ("prevalence", "n_positive", "n_tested"),
                              ("resistance_mutations", "n", "n_total"), ("fusion_partners", "n", "n_total"),
                              ("studies", "n_positive", "n_screened")]:
        f = rk.load(name).dropna(subset=[part, whole])
        bad = f[f[part] > f[whole]]
        assert bad.empty, f"{name}: {part} > {whole} in rows {list(bad.index)}"


def test_percentages_are_within_0_and_100():
    o = rk.load("outcomes")
    pct = o[o["unit"].eq("percent")]
    assert pct["value"].dropna().between(0, 100).all()
    assert pct["value_max"].dropna().between(0, 100).all()
    prev = rk.load("prevalence")
    assert prev.loc[prev["measure"].str.startswith("percent"), "value"].dropna().between(0, 100).all()


def test_not_reached_has_no_value():
    o = rk.load("outcomes")
    assert o.loc[o["qualifier"].eq("NR"), "value"].isna().all()
    # Every other row carries a value, unless it records a plain count (n_events of n).
    empty = o[o["value"].isna() & o["qualifier"].ne("NR").fillna(True)]
    assert empty["n_events"].notna().all(), f"rows without a value: {list(empty['id'])}"


def test_p_values_have_a_qualifier():
    for name in ["outcomes", "prognostic_factors", "prevalence", "progression_patterns"]:
        f = rk.load(name)
        assert (f["p_value"].isna() == f["p_qualifier"].isna()).all(), name


# --- references -----------------------------------------------------------------------------------

def bib_keys() -> list[str]:
    text = (REPO / "references.bib").read_text(encoding="utf-8")
    return re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M)


def test_bibliography_parses_and_has_no_duplicates():
    from pybtex.database import parse_file

    keys = bib_keys()
    assert len(keys) == len(set(keys))
    assert set(parse_file(str(REPO / "references.bib")).entries) == set(keys)


def test_references_table_matches_bibliography():
    assert set(rk.load("references")["key"]) == set(bib_keys())


def test_every_citation_resolves():
    keys = set(bib_keys())
    for name in TABLES:
        frame = rk.load(name)
        if "citation" in frame:
            unknown = set(frame["citation"].dropna()) - keys
            assert not unknown, f"{name}: unknown citation keys {sorted(unknown)}"


def test_every_bib_entry_is_used():
    used = set()
    for name in TABLES:
        frame = rk.load(name)
        if "citation" in frame:
            used |= set(frame["citation"].dropna())
    pages = list((REPO / "chapters").glob("*.ipynb")) + list((REPO / "chapters").glob("*.md")) + [REPO / "intro.md"]
    cite_role = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        # Generated citations (the Data chapter's reference map) count only if the page renders them.
        for match in cite_role.finditer(text):
            used |= {k.strip() for k in match.group(1).split(",")}
    if "{cite:t}`{key}`" in (REPO / "chapters" / "data.ipynb").read_text(encoding="utf-8"):
        used |= set(rk.load("references")["key"])
    unused = set(bib_keys()) - used
    assert not unused, f"bibliography entries cited nowhere: {sorted(unused)}"


# --- the audit: recompute every percentage that has a count and a total ----------------------------

def _decimals(x: float) -> int:
    d = Decimal(repr(float(x))).normalize()
    return max(0, -d.as_tuple().exponent)


def _mismatch(pct: float, k: int, n: int) -> bool:
    d = _decimals(pct)
    return round(100 * k / n, d) != round(pct, d) and not math.isclose(100 * k / n, pct, abs_tol=0.5 * 10 ** -d + 1e-9)


def audit_rows():
    """(table, id, reported %, recomputed %) for every count/total pair that does not round to the reported %."""
    found = []
    specs = [("outcomes", "id", "value", "n_events", "n", lambda f: f["unit"].eq("percent")),
             ("prevalence", "id", "value", "n_positive", "n_tested", lambda f: f["measure"].eq("percent_positive")),
             ("resistance_mutations", "id", "percent", "n", "n_total", lambda f: f["percent"].notna()),
             ("fusion_partners", "id", "percent", "n", "n_total", lambda f: f["percent"].notna()),
             ("studies", "study_id", "percent_positive", "n_positive", "n_screened", lambda f: f["percent_positive"].notna())]
    for table, key, pct, k, n, where in specs:
        f = rk.load(table)
        f = f[where(f)].dropna(subset=[pct, k, n])
        for _, row in f.iterrows():
            if _mismatch(row[pct], int(row[k]), int(row[n])):
                found.append((table, row[key], row[pct], round(100 * row[k] / row[n], 2)))
    return found


def test_audit_finds_the_known_mismatches():
    found = {(t, i) for t, i, *_ in audit_rows()}
    # 14/49 printed as 28.5% and 4/49 as 8.3% (resistance mutations); 88 of 3774 printed as 2.1% (Zhuang).
    assert len(found) >= 3


def test_every_percentage_mismatch_is_in_the_errata():
    errata = rk.load("errata")
    listed = set()
    for affects in errata["affects"].dropna():
        listed |= {a.strip() for a in affects.split(";")}
    missing = [f"{t}:{i} reports {p}% but the count gives {r}%" for t, i, p, r in audit_rows() if f"{t}:{i}" not in listed]
    assert not missing, "percentage mismatches not listed in errata (column 'affects'):\n" + "\n".join(missing)


def test_unattainable_percentages_are_in_the_errata():
    """A rate with a denominator but no count: some whole number of patients must give it, or it is an erratum."""
    errata = rk.load("errata")
    listed = set()
    for affects in errata["affects"].dropna():
        listed |= {a.strip() for a in affects.split(";")}
    o = rk.load("outcomes")
    rates = o[o["unit"].eq("percent") & o["n_events"].isna()].dropna(subset=["value", "n"])
    rates = rates[rates["endpoint"].isin(["ORR", "DCR", "CR_rate", "intracranial_ORR"])]
    bad = [r["id"] for _, r in rates.iterrows()
           if all(_mismatch(r["value"], k, int(r["n"])) for k in range(int(r["n"]) + 1))]
    missing = [i for i in bad if f"outcomes:{i}" not in listed]
    assert not missing, f"rates no whole number of patients can give, not in errata: {missing}"
    studies = rk.load("studies").dropna(subset=["first_line_percent", "n_treated"])
    bad = [r["study_id"] for _, r in studies.iterrows()
           if all(_mismatch(r["first_line_percent"], k, int(r["n_treated"])) for k in range(int(r["n_treated"]) + 1))]
    missing = [i for i in bad if f"studies:{i}" not in listed]
    assert not missing, f"first-line shares no whole number of patients can give, not in errata: {missing}"


# --- corrupted copies fail loudly ----------------------------------------------------------------

@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target


def _edit(path: Path, row_id: str, field: str, value: str) -> int:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    cols = list(rows[0])
    line = None
    for i, r in enumerate(rows):
        if r[cols[0]] == row_id:
            r[field] = value
            line = i + 2  # header is row 1
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    assert line is not None
    return line


def _record_stats(data_dir: Path):
    """Re-record stats in the copy, so only the semantic corruption remains."""
    from ros1alk.datapackage import build_descriptor, render

    (data_dir / "datapackage.json").write_text(render(build_descriptor(record_stats=True, data_dir=data_dir)))


def test_out_of_range_value_fails_naming_file_row_field(data_copy):
    row = _edit(data_copy / "fusion_partners.csv", "FUS-005", "percent", "157.1")
    _record_stats(data_copy)
    with pytest.raises(rk.DataValidationError) as exc:
        rk.load("fusion_partners", data_copy)
    msg = str(exc.value)
    assert "fusion_partners.csv" in msg and f"row {row}" in msg and "'percent'" in msg


def test_malformed_number_fails_naming_file_row_field(data_copy):
    row = _edit(data_copy / "outcomes.csv", "OUT-001", "value", "72%")
    _record_stats(data_copy)
    with pytest.raises(rk.DataValidationError) as exc:
        rk.load("outcomes", data_copy)
    msg = str(exc.value)
    assert "outcomes.csv" in msg and f"row {row}" in msg and "'value'" in msg


def test_unknown_citation_fails_naming_file_row_field(data_copy):
    row = _edit(data_copy / "ic50.csv", "IC-010", "citation", "nobody1999")
    _record_stats(data_copy)
    with pytest.raises(rk.DataValidationError) as exc:
        rk.load("ic50", data_copy)
    msg = str(exc.value)
    assert "ic50.csv" in msg and f"row {row}" in msg and "citation" in msg


def test_dropped_row_fails_naming_file_and_rows(data_copy):
    path = data_copy / "ic50.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:5] + lines[6:]), encoding="utf-8")
    with pytest.raises(rk.DataValidationError) as exc:
        rk.load("ic50", data_copy)
    msg = str(exc.value)
    assert "ic50.csv" in msg and "rows" in msg and 'expected is "90" and actual is "89"' in msg


def test_missing_file_names_the_path(data_copy):
    (data_copy / "drugs.csv").unlink()
    with pytest.raises(rk.DataValidationError) as exc:
        rk.load("drugs", data_copy)
    assert "drugs.csv" in str(exc.value)
