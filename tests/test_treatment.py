"""ros1alk.treatment_options: the reviews' scenarios, and the safety rules proved over every input.

The property tests at the top run the function over every target x setting x CNS status x genotype
(every kinase mutation the book names and every genotype of Table 4, compound ones included) x prior TKI,
and check each rule against the book's own tables, computed here independently of the package.
The scenario tests below name the review passage each comes from (aslan2025 = seed 004 sections 3.2,
4.1 and 5; zhong2024 = seed 000, "Resistance mechanism, management & salvage treatment").
"""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

import ros1alk as rk
from ros1alk.treatment import (
    BYPASS,
    CAUTIONARY,
    PERMISSIVE,
    PRECLINICAL,
    SETTINGS,
    SINCE,
    STRONG,
    TARGETS,
    TIERS,
    accepted_mutations,
    excluded_options,
    strength_tier,
)


def opts(*args, **kwargs) -> pd.DataFrame:
    return rk.treatment_options(*args, **kwargs)


def strengths(frame: pd.DataFrame, option: str) -> list[str]:
    """Every strength the frame gives for an option (an option can be listed by both reviews)."""
    return frame.loc[frame["option"].eq(option), "strength"].tolist()


def has(frame: pd.DataFrame, text: str) -> bool:
    return frame["option"].str.contains(text, case=False, regex=False).any()


def drugs_of(frame: pd.DataFrame) -> set[str]:
    return {d for cell in frame["drugs"] for d in str(cell).split("; ") if d}


# --- the book's evidence, read here without the package's rules -------------------------------------------

IC50 = rk.load("ic50")
INACTIVE = {(g, d) for g, d, c in zip(IC50["genotype"], IC50["drug"], IC50["category"]) if c == "≥200 nmol/l"}
ROS1_GENOTYPES = sorted(set(IC50["genotype"]) - {"Parental", "Non-mutants"})
_studies = rk.load("studies").set_index("study_id")["target"]
_outcomes = rk.load("outcomes").dropna(subset=["drug", "study_id"])
CLINICAL = {t: {d for d, s in zip(_outcomes["drug"], _outcomes["study_id"]) if t in str(_studies.get(s, ""))}
            for t in TARGETS}
RECS = rk.load("recommendations").set_index("id")
UPDATES = rk.load("updates").set_index("id")
LIMITED_CNS = set(rk.load("drugs").query("cns_penetration == 'limited'")["drug"])


def scenarios():
    """Every input the function accepts (mutation and prior TKI only where they apply)."""
    for target, setting, cns in itertools.product(TARGETS, SETTINGS, (False, True)):
        mutations = [None, *accepted_mutations(target)] if setting == "progression" else [None]
        priors = [None, *sorted(CLINICAL[target])] if setting in ("progression", "after_targeted") else [None]
        for mutation, prior in itertools.product(mutations, priors):
            yield target, setting, cns, mutation, prior


SCENARIOS = list(scenarios())


@pytest.fixture(scope="module")
def results():
    return {s: (opts(s[0], s[1], cns_metastases=s[2], mutation=s[3], prior_tki=s[4]),
                excluded_options(s[0], s[1], cns_metastases=s[2], mutation=s[3], prior_tki=s[4]))
            for s in SCENARIOS}


def test_the_scenarios_cover_every_table4_genotype_and_prior_tki():
    ros1_progression = {(m, p) for t, s, _, m, p in SCENARIOS if t == "ROS1" and s == "progression"}
    assert {m for m, _ in ros1_progression} >= set(ROS1_GENOTYPES) | {"G2032R", "D2033N", "L2026M"}
    assert {"G2032R/L2086F", "S1986F/G2032R/L2086F"} <= {m for m, _ in ros1_progression}
    assert {p for _, p in ros1_progression} >= {"crizotinib", "entrectinib", "repotrectinib"}
    assert len(SCENARIOS) > 300


def test_never_a_drug_in_table4s_inactive_band_for_the_genotype(results):
    bad = [(s, d) for s, (frame, _) in results.items() if s[0] == "ROS1" and s[3] in ROS1_GENOTYPES
           for d in drugs_of(frame) if (s[3], d) in INACTIVE]
    assert not bad, bad[:5]


def test_never_lorlatinib_for_a_genotype_with_g2032r(results):
    bad = [s for s, (frame, _) in results.items()
           if s[3] and "G2032R" in s[3].split("/") and ("lorlatinib" in drugs_of(frame) or has(frame, "lorlatinib"))]
    assert not bad, bad[:5]


def test_never_the_drug_the_patient_progressed_on(results):
    bad = [s for s, (frame, _) in results.items() if s[4] and s[4] in drugs_of(frame)]
    assert not bad, bad[:5]


DRUG_TARGETS = {d: str(t) for d, t in zip(rk.load("drugs")["drug"], rk.load("drugs")["targets"])}


def test_a_drug_is_offered_only_for_a_target_it_acts_on(results):
    bypass = set(RECS.index[RECS["condition"].fillna("").str.contains("bypass")])
    shared = set(RECS.index[RECS["target"].eq("ALK and ROS1")])
    bad = []
    for s, (frame, _) in results.items():
        frame = frame[~frame["id"].isin(bypass)]
        bad += [(s, d) for d in drugs_of(frame) if s[0] not in DRUG_TARGETS[d]]
        bad += [(s, d) for d in drugs_of(frame[frame["id"].isin(shared)]) if d not in CLINICAL[s[0]]]
    assert not bad, bad[:5]
    assert "alectinib" not in CLINICAL["ROS1"], "the book holds no ROS1 results for alectinib"


def test_preclinical_hypotheses_are_never_options(results):
    preclinical = set(RECS.index[RECS["basis"].eq("preclinical")])
    assert preclinical, "the crizotinib review's PD-L1 rows rest on cell-line and mouse data"
    for s, (frame, _) in results.items():
        assert (frame["tier"].eq(PRECLINICAL) == frame["id"].isin(preclinical)).all(), s


def test_ordered_by_group_and_every_row_is_a_cited_row_of_the_reviews(results):
    keys = set(rk.load("references")["key"])
    for s, (frame, gone) in results.items():
        ranks = frame["tier"].map({t: i for i, t in enumerate(TIERS)}).tolist()
        assert ranks == sorted(ranks) and not frame["tier"].isna().any(), s
        assert frame["id"].is_unique and not set(frame["id"]) & set(gone["id"]), s
        for row in frame.itertuples():
            if row.id.startswith("UPD-"):
                update = UPDATES.loc[row.id]
                assert row.tier in (SINCE, CAUTIONARY) and s[1] in update["options_in"].split("; ")
                assert row.citation == update["citation"] and row.strength == update["change"]
                assert update["kind"] in ("approval", "authorisation") and update["target"] in (s[0], "ALK and ROS1")
            else:
                source_row = RECS.loc[row.id]
                assert row.option == source_row["option"] and row.strength == source_row["strength"]
                assert source_row["target"] in (s[0], "ALK and ROS1") and row.tier != SINCE
            assert row.citation in keys
        assert gone["reason"].str.len().gt(10).all(), s


def test_after_a_last_line_tki_no_tki_is_offered_with_strong_wording_and_chemotherapy_is_listed(results):
    from ros1alk.treatment import LAST_LINE

    checked = 0
    for s, (frame, _) in results.items():
        if s[1] != "progression" or s[4] not in LAST_LINE[s[0]]:
            continue
        checked += 1
        tki = frame[frame["drugs"].ne("") | frame["option"].str.contains("TKI")]
        assert not tki["tier"].isin([STRONG, PERMISSIVE, SINCE]).any(), s
        assert frame["option"].str.contains("chemotherapy").any(), s
    assert checked >= 2 * 3 * 2, "ALK after lorlatinib and ROS1 after each last-line drug, with and without CNS"


def test_entrectinib_is_not_offered_where_the_review_itself_reports_it_limited():
    for mutation in ("D2033N", "L2026M"):
        assert "entrectinib" not in drugs_of(opts("ROS1", "progression", mutation=mutation)), mutation


def test_alk_after_a_second_generation_drug_lists_lorlatinib_whatever_the_mutation():
    frame = opts("ALK", "progression", prior_tki="alectinib").set_index("id")
    assert frame.loc["REC-053", "drugs"] == "lorlatinib" and "APP-009" in frame.loc["REC-053", "book_note"]


def test_with_brain_metastases_a_poorly_penetrating_drug_is_never_in_a_strong_or_permissive_group(results):
    assert "crizotinib" in LIMITED_CNS
    for s, (frame, _) in results.items():
        if s[2]:
            named = frame["drugs"].str.split("; ")
            alone = frame.loc[named.map(lambda ds: ds != [""] and set(ds) <= LIMITED_CNS).astype(bool)]
            assert alone["tier"].isin([CAUTIONARY, PRECLINICAL]).all(), s


def test_group_names_describe_the_reviews_wording_not_a_guideline_grade():
    assert [t for t in TIERS if t.startswith("review: ")] == [STRONG, PERMISSIVE, CAUTIONARY]
    assert SINCE.startswith("since the sources") and "not a treatment option" in PRECLINICAL


def test_approvals_since_the_sources_are_flagged_with_their_primary_source():
    first_line = opts("ROS1", "first_line").set_index("id")
    assert first_line.loc["UPD-003", "tier"] == SINCE and first_line.loc["UPD-003", "drugs"] == "taletrectinib"
    assert first_line.loc["UPD-003", "citation"] == UPDATES.loc["UPD-003", "citation"]
    assert "UPD-002" in set(opts("ALK", "first_line")["id"])
    assert "UPD-003" in set(excluded_options("ROS1", "progression", mutation="L2086F")["id"])


def test_every_target_and_setting_still_has_an_option():
    for target, setting, cns in itertools.product(TARGETS, SETTINGS, (False, True)):
        assert not opts(target, setting, cns_metastases=cns).empty, (target, setting, cns)


# --- the function's contract ------------------------------------------------------------------------

def test_exported_from_the_package():
    assert "treatment_options" in rk.__all__
    from ros1alk.treatment import treatment_options

    assert rk.treatment_options is treatment_options


def test_returns_the_documented_columns():
    frame = opts("ROS1", "first_line")
    assert list(frame.columns) == ["id", "target", "setting", "condition", "option", "drugs", "strength", "tier",
                                   "basis", "book_note", "guideline", "citation", "source", "verification"]
    assert frame["id"].is_unique


def test_inputs_are_case_insensitive_and_compound_genotypes_in_any_order():
    pd.testing.assert_frame_equal(opts("ros1", "First_Line"), opts("ROS1", "first_line"))
    pd.testing.assert_frame_equal(opts("ROS1", "progression", mutation="g2032r"),
                                  opts("ROS1", "progression", mutation="G2032R"))
    pd.testing.assert_frame_equal(opts("ROS1", "progression", mutation="l2086f/g2032r"),
                                  opts("ROS1", "progression", mutation="G2032R/L2086F"))
    pd.testing.assert_frame_equal(opts("ROS1", "progression", prior_tki="Crizotinib"),
                                  opts("ROS1", "progression", prior_tki="crizotinib"))


@pytest.mark.parametrize("kwargs,words", [
    (dict(target="EGFR", setting="first_line"), ["unknown target", "ALK", "ROS1"]),
    (dict(target=None, setting="first_line"), ["unknown target"]),
    (dict(target="ROS1", setting="second_line"), ["unknown setting", "first_line", "progression"]),
    (dict(target="ALK", setting=""), ["unknown setting"]),
    (dict(target="ROS1", setting="progression", mutation="X9999Z"),
     ["unknown ROS1 resistance", "G2032R", "S1986F/G2032R/L2086F", "EGFR"]),
    (dict(target="ALK", setting="progression", mutation="G2032R"), ["unknown ALK resistance", "G1202R"]),
    (dict(target="ROS1", setting="first_line", mutation="G2032R"), ["only applies", "progression"]),
    (dict(target="ROS1", setting="progression", cns_metastases="yes"), ["True or False"]),
    (dict(target="ROS1", setting="progression", prior_tki="aspirin"), ["unknown prior_tki", "crizotinib"]),
    (dict(target="ROS1", setting="progression", prior_tki="alectinib"), ["unknown prior_tki", "entrectinib"]),
    (dict(target="ALK", setting="first_line", prior_tki="alectinib"), ["only applies", "progression"]),
])
def test_unknown_input_raises_a_helpful_value_error(kwargs, words):
    with pytest.raises(ValueError) as exc:
        rk.treatment_options(**kwargs)
    for word in words:
        assert word in str(exc.value)


# --- the cases the clinical review ran (C-3) ------------------------------------------------------------

def test_l2086f_offers_no_drug_table4_shows_inactive_and_says_why():
    frame = opts("ROS1", "progression", mutation="L2086F")
    gone = excluded_options("ROS1", "progression", mutation="L2086F")
    assert not drugs_of(frame) & {"repotrectinib", "lorlatinib", "taletrectinib", "entrectinib", "ceritinib"}
    assert drugs_of(frame) == {"cabozantinib"}, "Table 4: cabozantinib IC50 3.6 nmol/l against L2086F"
    assert {"REC-051", "REC-002", "REC-030"} <= set(gone["id"])
    assert gone.set_index("id").loc["REC-051", "reason"].startswith("repotrectinib: inactive against L2086F")


def test_g2032r_offers_repotrectinib_and_taletrectinib_not_lorlatinib():
    frame = opts("ROS1", "progression", mutation="G2032R")
    assert drugs_of(frame) == {"repotrectinib", "taletrectinib", "cabozantinib"}
    gone = excluded_options("ROS1", "progression", mutation="G2032R").set_index("id")
    assert "no responses in patients with ROS1 G2032R" in gone.loc["REC-002", "reason"]
    next_gen = frame.set_index("id").loc["REC-030"]
    assert next_gen["drugs"] == "repotrectinib; taletrectinib" and "Table 4" in next_gen["book_note"]


def test_immunotherapy_after_crizotinib_is_a_preclinical_hypothesis_not_an_option():
    frame = opts("ROS1", "progression")
    pd1 = frame[frame["option"].eq("PD-1/PD-L1 inhibitors")]
    assert pd1["tier"].tolist() == [PRECLINICAL] and pd1["basis"].tolist() == ["preclinical"]
    assert frame["tier"].iloc[-1] == PRECLINICAL


def test_ros1_brain_metastases_names_no_alk_only_drug_and_demotes_crizotinib():
    frame = opts("ROS1", "first_line", cns_metastases=True).set_index("id")
    assert "alectinib" not in drugs_of(frame.reset_index())
    note = frame.loc["REC-036", "book_note"]
    assert note.startswith("left out: alectinib:") and "ROS1" in note
    assert frame.loc["REC-036", "drugs"] == "entrectinib; lorlatinib"
    assert frame.loc["REC-001", "tier"] == CAUTIONARY and frame.loc["REC-028", "tier"] == STRONG
    assert frame.loc["REC-001", "book_note"].startswith("moved to cautionary")


def test_alk_after_lorlatinib_does_not_offer_lorlatinib_again():
    frame = opts("ALK", "progression", mutation="G1202R", prior_tki="lorlatinib")
    assert "lorlatinib" not in drugs_of(frame)
    assert "REC-053" in set(excluded_options("ALK", "progression", mutation="G1202R", prior_tki="lorlatinib")["id"])
    assert "lorlatinib" in drugs_of(opts("ALK", "progression", mutation="G1202R", prior_tki="alectinib"))


def test_rows_stated_for_progression_on_crizotinib_need_crizotinib_or_an_unknown_prior_drug():
    assert has(opts("ROS1", "progression", mutation="G2032R", prior_tki="crizotinib"), "taletrectinib")
    after_entrectinib = opts("ROS1", "progression", mutation="G2032R", prior_tki="entrectinib")
    assert not after_entrectinib["condition"].fillna("").str.contains("crizotinib").any()
    assert {"repotrectinib", "taletrectinib"} <= drugs_of(after_entrectinib)


# --- testing (aslan2025, section 2) -----------------------------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_testing_is_recommended_for_all_advanced_nsclc(target):
    frame = opts(target, "testing")
    assert has(frame, "routine testing for ALK and ROS1") and has(frame, "panel-based NGS")
    assert (frame["tier"] == STRONG).all()


# --- first line (aslan2025 5.1 and 3.2; zhong2024 conclusion) ---------------------------------------

def test_alk_first_line_second_and_third_generation_are_category_1():
    frame = opts("ALK", "first_line")
    for drug in ("alectinib", "brigatinib", "lorlatinib"):
        assert "category 1" in strengths(frame, drug), drug
        assert frame.loc[frame["option"].eq(drug) & frame["strength"].eq("category 1"), "tier"].eq(STRONG).all()


def test_alk_first_line_crizotinib_and_ceritinib_only_if_access_is_limited():
    frame = opts("ALK", "first_line")
    for drug in ("crizotinib", "ceritinib"):
        rows = frame[frame["option"].eq(drug)]
        assert len(rows) == 1, drug
        assert "access" in rows["strength"].iloc[0] and "access" in rows["condition"].iloc[0]
        assert rows["tier"].iloc[0] == CAUTIONARY


def test_first_line_targeted_therapy_beats_checkpoint_inhibitor_monotherapy():
    for target in TARGETS:
        assert has(opts(target, "first_line"), "targeted TKI (rather than checkpoint inhibitor")


def test_ros1_first_line_crizotinib_or_entrectinib():
    frame = opts("ROS1", "first_line")
    assert "recommended" in strengths(frame, "crizotinib")
    assert "recommended" in strengths(frame, "entrectinib")
    assert "appropriate" in strengths(frame, "crizotinib or entrectinib")
    assert not frame["option"].isin(["alectinib", "brigatinib"]).any(), "ALK-only drugs are not ROS1 options"


def test_ros1_first_line_repotrectinib_may_be_considered():
    frame = opts("ROS1", "first_line")
    rows = frame[frame["option"].eq("repotrectinib")]
    assert rows["strength"].tolist() == ["may be considered"]
    assert "NCCN 2025" in rows["guideline"].iloc[0] and "ESMO" in rows["guideline"].iloc[0]


def test_ros1_first_line_with_brain_metastases_prefers_entrectinib():
    without = opts("ROS1", "first_line", cns_metastases=False)
    with_cns = opts("ROS1", "first_line", cns_metastases=True)
    assert "preferred" not in strengths(without, "entrectinib")
    assert "preferred" in strengths(with_cns, "entrectinib")
    assert "recommended as initial therapy" in strengths(with_cns, "entrectinib")
    assert has(with_cns, "systemic TKI with high CNS penetration")
    assert set(without["id"]) < set(with_cns["id"])


def test_alk_first_line_with_brain_metastases_adds_cns_active_drugs():
    with_cns = opts("ALK", "first_line", cns_metastases=True)
    assert has(with_cns, "systemic TKI with high CNS penetration")
    assert "entrectinib" not in drugs_of(with_cns), "no clinical ALK results for entrectinib in this book"
    assert has(with_cns, "upfront TKI (e.g. lorlatinib) with deferral of radiation")
    assert not has(opts("ALK", "first_line"), "deferral of radiation")


# --- progression (aslan2025 5.1 and 3.2; zhong2024 salvage section) ----------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_progression_without_identified_mutation_next_generation_tki_and_empirical_switch(target):
    frame = opts(target, "progression")
    assert "recommended whenever possible" in strengths(frame, "next-generation TKI")
    assert "encouraged" in strengths(frame, "molecular testing to identify resistance mutations")
    assert "acceptable" in strengths(frame, "empirical switch to an alternative TKI")
    assert not has(frame[frame["id"].str.startswith("REC-")], "taletrectinib"), "the reviews name it for G2032R"


@pytest.mark.parametrize("target,mutation", [("ROS1", "G2032R"), ("ALK", "G1202R")])
def test_progression_with_known_mutation_drops_empirical_switch_and_retesting(target, mutation):
    frame = opts(target, "progression", mutation=mutation)
    assert not has(frame, "empirical switch") and not has(frame, "molecular testing")
    assert has(frame, "next-generation TKI")


def test_ros1_progression_with_g2032r_repotrectinib_or_taletrectinib():
    frame = opts("ROS1", "progression", mutation="G2032R")
    assert strengths(frame, "repotrectinib") == ["alternative option (may be considered)"]
    assert strengths(frame, "taletrectinib") == ["alternative option (may be considered)"]
    assert "should be considered" in strengths(frame, "repotrectinib or emerging next-generation inhibitors")
    # the mouse-model statement about immunotherapy and G2032R is a hypothesis, listed last
    assert frame.loc[frame["option"].eq("anti-PD-1/PD-L1 therapy"), "tier"].eq(PRECLINICAL).all()


def test_ros1_progression_other_kinase_mutation():
    frame = opts("ROS1", "progression", mutation="D2033N")
    assert has(frame, "repotrectinib or emerging next-generation inhibitors")
    assert not frame["option"].isin(["taletrectinib", "repotrectinib"]).any(), "the G2032R-specific rows need G2032R"


def test_ros1_progression_on_crizotinib_lorlatinib_suggested_entrectinib_and_ceritinib_cautioned():
    frame = opts("ROS1", "progression")
    assert strengths(frame, "lorlatinib") == ["suggested second-line choice"]
    for drug in ("entrectinib", "ceritinib"):
        assert frame.loc[frame["option"].eq(drug), "tier"].eq(CAUTIONARY).all(), drug
    assert "may be effective (case reports)" in strengths(frame, "cabozantinib")
    platinum = frame[frame["option"].str.startswith("platinum-based chemotherapy")]
    assert len(platinum) == 1 and "not encouraging" in platinum["strength"].iloc[0]


@pytest.mark.parametrize("mutation,drug", [("EGFR", "add EGFR inhibitor"), ("KIT", "add KIT inhibitor")])
def test_ros1_progression_with_bypass_adds_the_matching_inhibitor(mutation, drug):
    assert has(opts("ROS1", "progression", mutation=mutation), drug)
    assert not has(opts("ROS1", "progression"), drug)
    assert mutation in BYPASS


def test_alk_progression_lorlatinib_for_cns_or_resistance_mutations():
    assert not has(opts("ALK", "progression"), "lorlatinib")
    for kwargs in (dict(cns_metastases=True), dict(mutation="G1202R"), dict(mutation="L1196M")):
        frame = opts("ALK", "progression", **kwargs)
        assert strengths(frame, "lorlatinib (second line)") == ["recommended"], kwargs
        assert "NCCN 2025" in frame.loc[frame["option"].eq("lorlatinib (second line)"), "guideline"].iloc[0]


# --- after targeted options (aslan2025 5.2, 3.2, 4.1, conclusion; zhong2024) --------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_after_targeted_platinum_pemetrexed_preferred_immunotherapy_with_caveats(target):
    frame = opts(target, "after_targeted")
    assert strengths(frame, "platinum-based chemotherapy combined with pemetrexed") == ["preferred"]
    io = frame[frame["option"].eq("immunotherapy with or without chemotherapy")]
    assert io["strength"].tolist() == ["may be considered"]
    assert "PD-L1" in io["condition"].iloc[0] and "TMB" in io["condition"].iloc[0]
    icis = frame[frame["option"].eq("immune checkpoint inhibitors")]
    assert icis["tier"].tolist() == [CAUTIONARY] and "caution" in icis["strength"].iloc[0]
    assert frame["tier"].iloc[0] == STRONG


def test_ros1_after_targeted_includes_the_crizotinib_reviews_options():
    frame = opts("ROS1", "after_targeted")
    for option in ("chemotherapy", "immunotherapy", "chemotherapy combined with immunotherapy",
                   "multidrug combinations containing anti-angiogenic agents"):
        assert strengths(frame, option) == ["potential option"], option
    assert has(frame, "systemic chemotherapy with or without immunotherapy")


# --- local therapy (aslan2025 5.3) --------------------------------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_oligometastatic_sbrt_surgery_rfa(target):
    frame = opts(target, "oligometastatic")
    for option in ("stereotactic body radiotherapy (SBRT)", "surgical resection added to systemic therapy",
                   "radiofrequency ablation (RFA)"):
        assert has(frame, option), option
    assert frame["condition"].str.contains("1 to 3").all()


@pytest.mark.parametrize("target", TARGETS)
def test_cns_srs_wbrt_surgery(target):
    frame = opts(target, "cns")
    assert strengths(frame, "stereotactic radiosurgery (SRS) in addition to systemic therapy") == ["preferred"]
    assert strengths(frame, "whole-brain radiotherapy (WBRT)") == ["considered"]
    assert strengths(frame, "surgical resection") == ["may be an option"]
    assert has(frame, "systemic TKI with high CNS penetration")


def test_cns_deferral_of_radiation_is_alk_only():
    assert has(opts("ALK", "cns"), "deferral of radiation therapy")
    assert not has(opts("ROS1", "cns"), "deferral of radiation therapy")


@pytest.mark.parametrize("target", TARGETS)
def test_central_airway_palliative_interventions(target):
    frame = opts(target, "central_airway")
    assert len(frame) == 5
    assert frame["strength"].str.contains("palliative").all()
    assert has(frame, "airway stenting") and has(frame, "bronchoscopic debulking")


# --- the wording groups -------------------------------------------------------------------------------

@pytest.mark.parametrize("strength,tier", [
    ("category 1", STRONG), ("preferred", STRONG), ("should be prioritized", STRONG),
    ("may be considered", PERMISSIVE), ("acceptable", PERMISSIVE), ("potential option", PERMISSIVE),
    ("only when access to preferred agents is limited", CAUTIONARY),
    ("may not be optimal", CAUTIONARY),
    ("recommended in several guidelines; response rate not encouraging", CAUTIONARY),
    (None, PERMISSIVE),
])
def test_strength_tier(strength, tier):
    assert strength_tier(strength) == tier
