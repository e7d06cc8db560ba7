"""The evidence tables: schema validity, semantic rules, references, the percentage audit, and proof
that validation fails loudly (naming file, row and field) on corrupted copies."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO

import ros1alk as rk
from ros1alk.citations import LINK
from ros1alk.data import validate_resource

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
        # Roles in .md pages; citation links (ros1alk.citations) in notebooks, in prose and in Markdown outputs
        # (the Data chapter's reference map is generated, so it counts only because its output is stored).
        for match in cite_role.finditer(text):
            used |= {k.strip() for k in match.group(1).split(",")}
        for match in LINK.finditer(text):
            used |= set(match["keys"].split(","))
    unused = set(bib_keys()) - used
    assert not unused, f"bibliography entries cited nowhere: {sorted(unused)}"


# --- the audit: recompute every percentage that has a count and a total ----------------------------

# The rule and the specification are ros1alk.audit's, shared with the audit chapter (10-audit.ipynb).

def audit_rows():
    """(table, id, reported %, recomputed %) for every count/total pair that does not round to the reported %."""
    audit = rk.audit.percentage_audit()
    bad = audit[~audit["consistent"]]
    return list(zip(bad["table"], bad["id"], bad["reported"], bad["recomputed"]))


def test_audit_finds_exactly_the_known_mismatches():
    found = {(t, i): (p, r) for t, i, p, r in audit_rows()}
    assert found == {
        ("prevalence", "PRV-015"): (2.1, 2.33),             # Zhuang: 88 of 3774 printed as 2.1%
        ("studies", "zhuang2019"): (2.1, 2.33),             # the same cohort, stored with the study
        ("resistance_mutations", "RES-002"): (28.5, 28.57),  # 14 of 49 printed as 28.5% (truncated)
        ("resistance_mutations", "RES-003"): (8.3, 8.16),    # 4 of 49 printed as 8.3%
    }


def test_audit_covers_every_table_with_count_and_total():
    audit = rk.audit.percentage_audit()
    assert audit.groupby("table").size().to_dict() == {
        "outcomes": 23, "prevalence": 7, "resistance_mutations": 16, "studies": 6}


def test_attainability_rule_counts_half_way_cases_either_way():
    # 1 of 8 is exactly 12.5%: it prints as 12% or 13% depending on the rounding habit, so both fit.
    assert rk.audit.attainable(13, 8) and rk.audit.attainable(12, 8) and rk.audit.attainable(12.5, 8)
    assert not rk.audit.attainable(70, 34)                   # EUCROSS as printed (erratum E000-23)
    assert rk.audit.fitting_denominators(70, 34) == [33, 30, 27]
    assert rk.audit.consistent(28.5, 14, 49) is False and rk.audit.consistent(85.7, 144, 168) is True


def test_every_percentage_mismatch_is_in_the_errata():
    listed = set(rk.audit.errata_by_row().index)
    missing = [f"{t}:{i} reports {p}% but the count gives {r}%" for t, i, p, r in audit_rows()
               if f"{t}:{i}" not in listed]
    assert not missing, "percentage mismatches not listed in errata (column 'affects'):\n" + "\n".join(missing)


def test_unattainable_percentages_are_in_the_errata():
    """A rate with a denominator but no count: some whole number of patients must give it, or it is an erratum."""
    listed = set(rk.audit.errata_by_row().index)
    o = rk.load("outcomes")
    rates = o[o["unit"].eq("percent") & o["n_events"].isna()].dropna(subset=["value", "n"])
    rates = rates[rates["endpoint"].isin(["ORR", "DCR", "CR_rate", "intracranial_ORR"])]
    bad = [r["id"] for _, r in rates.iterrows() if not rk.audit.attainable(r["value"], r["n"])]
    missing = [i for i in bad if f"outcomes:{i}" not in listed]
    assert not missing, f"rates no whole number of patients can give, not in errata: {missing}"
    studies = rk.load("studies").dropna(subset=["first_line_percent", "n_treated"])
    bad = [r["study_id"] for _, r in studies.iterrows()
           if not rk.audit.attainable(r["first_line_percent"], r["n_treated"])]
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


def _fails_naming(data_copy: Path, table: str, *words: str) -> str:
    """Loading ``table`` from the corrupted copy fails, and the message names the file and each of ``words``."""
    _record_stats(data_copy)
    with pytest.raises(rk.DataValidationError) as exc:
        rk.load(table, data_copy)
    msg = str(exc.value)
    for word in (f"{table}.csv", *words):
        assert word in msg, (word, msg)
    return msg


def test_out_of_range_value_fails_naming_file_row_field(data_copy):
    row = _edit(data_copy / "fusion_partners.csv", "FUS-005", "percent", "157.1")
    _fails_naming(data_copy, "fusion_partners", f"row {row}", "'percent'")


def test_malformed_number_fails_naming_file_row_field(data_copy):
    row = _edit(data_copy / "outcomes.csv", "OUT-001", "value", "72%")
    _fails_naming(data_copy, "outcomes", f"row {row}", "'value'")


def test_unknown_citation_fails_naming_file_row_field(data_copy):
    row = _edit(data_copy / "ic50.csv", "IC-010", "citation", "nobody1999")
    _fails_naming(data_copy, "ic50", f"row {row}", "citation")


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


def test_resistance_and_zhang2016_corrections_follow_primary_sources():
    """Clinical corrections checked against primary abstracts (errata E000-70, E000-72, E000-74, E004-70)."""
    res = rk.load("resistance_mutations").set_index("id")
    # ALK G1202R rises after second-generation TKIs (Gainor 2016), not a typical crizotinib mutation.
    assert res.loc["RES-027", "drug_progressed_on"] == "second-generation ALK TKIs"
    assert res.loc["RES-027", "verification"] == "corrected"
    # ROS1 mutations after crizotinib / lorlatinib in Lin 2021: 38% of 42 and 46% of 28 biopsies.
    assert (res.loc["RES-101", "percent"], res.loc["RES-101", "n_total"]) == (38, 42)
    assert (res.loc["RES-102", "percent"], res.loc["RES-102", "n_total"]) == (46, 28)
    assert res.loc["RES-012", "verification"] == "disputed"
    outcomes = rk.load("outcomes").set_index("id")
    chemo = outcomes.loc[[f"OUT-0{n}" for n in range(36, 42)]]
    assert chemo["population"].eq("all lines (includes first line)").all()
    assert chemo["verification"].eq("corrected").all()
    errata = rk.load("errata").set_index("erratum_id")
    assert errata.loc["E000-70", "action"] == "corrected"
    assert all(f"outcomes:OUT-0{n}" in errata.loc["E000-70", "affects"] for n in range(36, 42))
    ic50 = rk.load("ic50").set_index("id")
    assert "no objective response" in ic50.loc["IC-021", "note"]          # lorlatinib vs G2032R
    assert "10 of 17" in ic50.loc["IC-022", "note"]                        # repotrectinib vs G2032R


def test_ros1_efficacy_corrections_follow_primary_sources():
    """ROS1 trial figures checked against the trial papers (errata E004-40, E004-41, E000-21, E000-23, E000-40)."""
    outcomes = rk.load("outcomes").set_index("id")
    errata = rk.load("errata").set_index("erratum_id")
    # The 004 section 3.2 "entrectinib" figures are the lorlatinib ROS1 trial's (Shaw 2019).
    lorl = outcomes.loc[["OUT-131", "OUT-133", "OUT-134", "OUT-135"]]
    assert lorl["drug"].eq("lorlatinib").all() and lorl["study_id"].eq("lorlatinib_ros1").all()
    assert lorl["citation"].eq("shaw2019b").all() and lorl["verification"].eq("corrected").all()
    assert [(r.value, r.n, r.n_events) for r in lorl.itertuples()][:3] == [(62, 21, 13), (64, 11, 7), (35, 40, 14)]
    assert outcomes.loc["OUT-135", "value"] == 8.5
    assert errata.loc["E004-40", "action"] == "corrected" and errata.loc["E004-40", "kind"] == "clinical"
    assert all(f"outcomes:{i}" in errata.loc["E004-40", "affects"] for i in lorl.index)
    # Entrectinib's own integrated analysis (Drilon 2020); no entrectinib figure after crizotinib survives.
    ent = outcomes[outcomes["study_id"].eq("entrectinib_integrated_2020")].set_index("endpoint")
    assert (ent.loc["ORR", "value"], ent.loc["ORR", "n"], ent.loc["ORR", "n_events"]) == (77, 53, 41)
    assert ent.loc["PFS_median", "value"] == 19.0 and ent.loc["intracranial_ORR", "n_events"] == 11
    shown = outcomes[outcomes["drug"].eq("entrectinib") & outcomes["verification"].ne("disputed")]
    assert not shown["population"].str.contains("pretreated|previously", regex=True).any()
    assert outcomes.loc["OUT-132", "verification"] == "disputed"         # 16.8-21 months: no source (E004-41)
    assert (outcomes.loc["OUT-206", ["verification", "n_events", "n"]].tolist()
            == ["checked", 108, 161])                                         # entrectinib, updated analysis
    # METROS enrolled pretreated patients: the printed "76% first line" is not stored as a share.
    studies = rk.load("studies").set_index("study_id")
    assert pd.isna(studies.loc["metros", "first_line_percent"])
    assert errata.loc["E000-21", "action"] == "corrected" and errata.loc["E000-21", "verified_against"] == "landi2019"
    # EUCROSS: 21 of 30 response-evaluable patients; OO12-01: 17 complete responses of 127.
    assert (outcomes.loc["OUT-011", "n"], outcomes.loc["OUT-011", "n_events"]) == (30, 21)
    assert outcomes.loc["OUT-019", "value"] == 13.4 and outcomes.loc["OUT-019", "n_events"] == 17
    # Final overall survival: EUCROSS 54.8 months, OO12-01 44.2 months; TRIDENT-1 G2032R 10 of 17.
    assert outcomes.loc["OUT-208", "value"] == 54.8 and outcomes.loc["OUT-209", "value"] == 44.2
    assert (outcomes.loc["OUT-101", "n"], outcomes.loc["OUT-101", "n_events"]) == (17, 10)


# --- the verification layer (issue: clinical truth) -----------------------------------------------------

def test_every_clinical_table_has_a_verification_status_on_every_row():
    from ros1alk.datapackage import VERIFICATION, VERIFIED_TABLES

    for name in VERIFIED_TABLES:
        table = rk.load(name)
        assert table["verification"].isin(list(VERIFICATION)).all(), name
        needs_source = table["verification"].ne("source-only")
        assert table.loc[needs_source, "verified_against"].notna().all(), name
        assert table.loc[needs_source, "verified_locator"].notna().all(), name


def test_every_corrected_row_has_an_erratum_that_keeps_what_was_printed():
    from ros1alk.datapackage import VERIFIED_TABLES

    errata = rk.load("errata")
    listed = {ref for refs in errata.loc[errata["action"].eq("corrected"), "affects"].dropna()
              for ref in refs.split("; ")}
    for name in VERIFIED_TABLES:
        table = rk.load(name)
        key = "drug" if name == "drugs" else "id"
        corrected = {f"{name}:{k}" for k in table.loc[table["verification"].eq("corrected"), key]}
        assert corrected <= listed, sorted(corrected - listed)
    clinical = errata[errata["kind"].isin(["clinical", "outdated"])]
    assert clinical["verified_against"].notna().all() and clinical["reported"].str.len().gt(0).all()


def test_unknown_verification_status_fails_naming_file_row_field(data_copy):
    row = _edit(data_copy / "dosing.csv", "DOS-001", "verification", "looks fine")
    _fails_naming(data_copy, "dosing", f"row {row}", "'verification'")


def test_corrected_row_without_an_erratum_fails_naming_file_row_field(data_copy):
    path = data_copy / "outcomes.csv"
    table = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    errata = list(csv.DictReader((data_copy / "errata.csv").open(encoding="utf-8", newline="")))
    listed = {ref for e in errata for ref in (e["affects"] or "").split("; ")}
    row_id = next(r["id"] for r in table if f"outcomes:{r['id']}" not in listed)
    _edit(path, row_id, "verified_against", "aslan2025")
    _edit(path, row_id, "verified_locator", "section 3")
    row = _edit(path, row_id, "verification", "corrected")
    _fails_naming(data_copy, "outcomes", f"row {row}", "'verification'", "erratum")


def test_checked_row_without_its_primary_source_fails_naming_file_row_field(data_copy):
    row = _edit(data_copy / "drugs.csv", "crizotinib", "verification", "checked")
    _edit(data_copy / "drugs.csv", "crizotinib", "verified_against", "")
    _fails_naming(data_copy, "drugs", f"row {row}", "'verified_against'")


def test_clinical_erratum_without_its_primary_source_fails(data_copy):
    errata = list(csv.DictReader((data_copy / "errata.csv").open(encoding="utf-8", newline="")))
    erratum = next(e["erratum_id"] for e in errata if e["kind"] == "clinical")
    row = _edit(data_copy / "errata.csv", erratum, "verified_against", "")
    _fails_naming(data_copy, "errata", f"row {row}", "'verified_against'")


def test_safety_tables_hold_the_label_corrections():
    """Repotrectinib induces CYP3A4 (E004-60), TRIDENT-1 dizziness is 58% (E004-61), entrectinib heart
    failure is 3.4% (E004-62); the review's wording stays in `reported` and in the erratum."""
    dosing = rk.load("dosing").set_index("id")
    ae = rk.load("adverse_events").set_index("id")
    errata = rk.load("errata").set_index("erratum_id")
    assert dosing.loc["DOS-006", "verification"] == "corrected"
    assert "inducer" in dosing.loc["DOS-006", "note"] and "non-hormonal" in dosing.loc["DOS-006", "note"]
    assert dosing.loc["DOS-006", "reported"] == "both a strong CYP3A inhibitor and substrate"
    assert errata.loc["E004-60", "affects"] == "dosing:DOS-006" and errata.loc["E004-60", "kind"] == "clinical"
    assert (ae.loc["AE-043", "percent"], ae.loc["AE-043", "verification"]) == (58, "corrected")
    assert errata.loc["E004-61", "affects"] == "adverse_events:AE-043"
    assert (ae.loc["AE-040", "percent"], ae.loc["AE-040", "event"]) == (3.4, "congestive heart failure")
    # Label doses: repotrectinib 160 mg once daily for 14 days, then twice daily; brigatinib repeat lead-in.
    assert (dosing.loc["DOS-101", "dose_mg"], dosing.loc["DOS-101", "days"]) == (160, 14)
    assert (dosing.loc["DOS-103", "dose_mg"], dosing.loc["DOS-103", "days"]) == (90, 7)
    # Lorlatinib lipids are two events, reported separately (finding m-29).
    assert (ae.loc["AE-125", "percent"], ae.loc["AE-126", "percent"]) == (18, 19)


def test_diagnostics_and_approvals_follow_primary_sources():
    """Clinical review C-5, M-1, M-2, M-13, M-16: the regulatory facts of the diagnostics and approvals
    tables, as corrected against FDA notices, labels and device pages (the printed values stay in errata)."""
    dx = rk.load("diagnostics").set_index("id")
    assert "not FDA-approved" in dx.loc["DX-003", "regulatory"]          # ROS1 FISH (review: FDA-approved)
    assert dx.loc["DX-002", "regulatory"].startswith("FDA-approved (Vysis ALK")
    assert dx.loc["DX-002", "threshold"] == 15 and dx.loc["DX-003", "threshold"] == 15
    assert "FDA-approved companion diagnostic" in dx.loc["DX-101", "regulatory"]  # ROS1 CDx is NGS
    assert "IHC" not in dx.loc["DX-010", "method"] and "tissue" in dx.loc["DX-010", "confirmation"]
    assert dx.loc["DX-013", "verification"] == "disputed"               # ESCAT I-A for ROS1
    assert dx.loc["DX-103", "target"] == "ALK"                          # early-stage testing (ALINA)
    app = rk.load("approvals").set_index("id")
    assert (app.loc["APP-006", "year"], app.loc["APP-006", "month"]) == (2019, 8)   # review: 2017
    assert app.loc["APP-009", "target"] == "ALK" and app.loc["APP-009", "year"] == 2018
    assert (app.loc["APP-101", "drug"], app.loc["APP-101", "year"],
            app.loc["APP-101", "month"]) == ("taletrectinib", 2025, 6)
    assert (app.loc["APP-102", "drug"], app.loc["APP-102", "year"]) == ("ensartinib", 2024)
    assert (app.loc["APP-103", "drug"], app.loc["APP-103", "month"]) == ("alectinib", 4)
    errata = rk.load("errata").set_index("erratum_id")
    assert errata.loc["E000-14", "action"] == "corrected" and "2017" in errata.loc["E000-14", "reported"]
    assert errata.loc["E004-50", "reported"].startswith("FISH remains a commonly used FDA-approved method")


def test_drug_classes_follow_primary_sources():
    """Clinical review M-20: generation, targets and CNS penetration of the drugs table."""
    drugs = rk.load("drugs").set_index("drug")
    assert drugs.loc["lorlatinib", "generation"] == "third" and drugs.loc["lorlatinib", "cns_penetration"] == "high"
    assert drugs.loc["ceritinib", "generation"] == "second"
    assert {"MET", "VEGFR2", "AXL", "RET"} <= set(drugs.loc["cabozantinib", "targets"].split("; "))
    assert {"TRKA", "TRKB", "TRKC"} <= set(drugs.loc["repotrectinib", "targets"].split("; "))
    assert "ROS1" in drugs.loc["brigatinib", "targets"] and drugs.loc["brigatinib", "verification"] == "disputed"
    assert drugs.loc["crizotinib", "cns_penetration"] == "limited"
