"""ros1alk.treatment_options against every scenario the two source reviews describe.

Each test names the scenario and the review passage it comes from (aslan2025 = seed 004 sections 3.2,
4.1 and 5; zhong2024 = seed 000, "Resistance mechanism, management & salvage treatment").
"""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

import ros1alk as rk
from ros1alk.treatment import SETTINGS, TARGETS, strength_tier


def opts(*args, **kwargs) -> pd.DataFrame:
    return rk.treatment_options(*args, **kwargs)


def strengths(frame: pd.DataFrame, option: str) -> list[str]:
    """Every strength the frame gives for an option (an option can be listed by both reviews)."""
    return frame.loc[frame["option"].eq(option), "strength"].tolist()


def has(frame: pd.DataFrame, text: str) -> bool:
    return frame["option"].str.contains(text, case=False, regex=False).any()


# --- the function's contract ------------------------------------------------------------------------

def test_exported_from_the_package():
    assert "treatment_options" in rk.__all__
    from ros1alk.treatment import treatment_options

    assert rk.treatment_options is treatment_options


def test_returns_the_documented_columns():
    frame = opts("ROS1", "first_line")
    assert list(frame.columns) == ["id", "target", "setting", "condition", "option", "strength", "tier",
                                   "guideline", "citation", "source"]
    assert frame["id"].is_unique


ALL_SCENARIOS = [
    (target, setting, cns, None) for target, setting, cns in itertools.product(TARGETS, SETTINGS, (False, True))
] + [
    ("ROS1", "progression", cns, m) for cns in (False, True) for m in ("G2032R", "D2033N", "L2026M", "EGFR", "KIT")
] + [("ALK", "progression", cns, m) for cns in (False, True) for m in ("G1202R", "L1196M", "EGFR")]


@pytest.mark.parametrize("target,setting,cns,mutation", ALL_SCENARIOS)
def test_every_option_is_a_cited_row_of_the_recommendations_table(target, setting, cns, mutation):
    frame = opts(target, setting, cns_metastases=cns, mutation=mutation)
    assert not frame.empty, "every target and setting has at least one option in the reviews"
    recs = rk.load("recommendations").set_index("id")
    keys = set(rk.load("references")["key"])
    for _, row in frame.iterrows():
        assert row["id"] in recs.index
        source_row = recs.loc[row["id"]]
        assert row["option"] == source_row["option"] and row["strength"] == source_row["strength"]
        assert source_row["target"] in (target, "ALK and ROS1")
        assert row["citation"] in keys, f"{row['id']}: citation {row['citation']!r} not in references"
        assert str(row["source"]).startswith(("000_", "004_")), row["source"]
        assert row["tier"] in ("recommended", "option", "restricted or cautioned")


@pytest.mark.parametrize("target,setting,cns,mutation", ALL_SCENARIOS)
def test_ordered_by_tier(target, setting, cns, mutation):
    order = {"recommended": 0, "option": 1, "restricted or cautioned": 2}
    ranks = opts(target, setting, cns_metastases=cns, mutation=mutation)["tier"].map(order).tolist()
    assert ranks == sorted(ranks)


def test_inputs_are_case_insensitive():
    pd.testing.assert_frame_equal(opts("ros1", "First_Line"), opts("ROS1", "first_line"))
    pd.testing.assert_frame_equal(opts("ROS1", "progression", mutation="g2032r"),
                                  opts("ROS1", "progression", mutation="G2032R"))


# --- unknown input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,words", [
    (dict(target="EGFR", setting="first_line"), ["unknown target", "ALK", "ROS1"]),
    (dict(target=None, setting="first_line"), ["unknown target"]),
    (dict(target="ROS1", setting="second_line"), ["unknown setting", "first_line", "progression"]),
    (dict(target="ALK", setting=""), ["unknown setting"]),
    (dict(target="ROS1", setting="progression", mutation="X9999Z"), ["unknown ROS1 resistance", "G2032R"]),
    (dict(target="ALK", setting="progression", mutation="G2032R"), ["unknown ALK resistance", "G1202R"]),
    (dict(target="ROS1", setting="first_line", mutation="G2032R"), ["only applies", "progression"]),
    (dict(target="ROS1", setting="progression", cns_metastases="yes"), ["True or False"]),
])
def test_unknown_input_raises_a_helpful_value_error(kwargs, words):
    with pytest.raises(ValueError) as exc:
        rk.treatment_options(**kwargs)
    for word in words:
        assert word in str(exc.value)


# --- testing (aslan2025, section 2) -----------------------------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_testing_is_recommended_for_all_advanced_nsclc(target):
    frame = opts(target, "testing")
    assert has(frame, "routine testing for ALK and ROS1") and has(frame, "panel-based NGS")
    assert (frame["tier"] == "recommended").all()


# --- first line (aslan2025 5.1 and 3.2; zhong2024 conclusion) ---------------------------------------

def test_alk_first_line_second_and_third_generation_are_category_1():
    frame = opts("ALK", "first_line")
    for drug in ("alectinib", "brigatinib", "lorlatinib"):
        assert "category 1" in strengths(frame, drug), drug
        assert frame.loc[frame["option"].eq(drug) & frame["strength"].eq("category 1"), "tier"].eq("recommended").all()


def test_alk_first_line_crizotinib_and_ceritinib_only_if_access_is_limited():
    frame = opts("ALK", "first_line")
    for drug in ("crizotinib", "ceritinib"):
        rows = frame[frame["option"].eq(drug)]
        assert len(rows) == 1, drug
        assert "access" in rows["strength"].iloc[0] and "access" in rows["condition"].iloc[0]
        assert rows["tier"].iloc[0] == "restricted or cautioned"


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
    assert has(with_cns, "upfront TKI (e.g. lorlatinib) with deferral of radiation")
    assert not has(opts("ALK", "first_line"), "deferral of radiation")


# --- progression (aslan2025 5.1 and 3.2; zhong2024 salvage section) ----------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_progression_without_identified_mutation_next_generation_tki_and_empirical_switch(target):
    frame = opts(target, "progression")
    assert "recommended whenever possible" in strengths(frame, "next-generation TKI")
    assert "encouraged" in strengths(frame, "molecular testing to identify resistance mutations")
    assert "acceptable" in strengths(frame, "empirical switch to an alternative TKI")
    assert not has(frame, "taletrectinib")


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
    # immunotherapy is expected to work less well against G2032R (mouse model)
    assert frame.loc[frame["option"].eq("anti-PD-1/PD-L1 therapy"), "tier"].eq("restricted or cautioned").all()


def test_ros1_progression_other_kinase_mutation():
    frame = opts("ROS1", "progression", mutation="D2033N")
    assert has(frame, "repotrectinib or emerging next-generation inhibitors")
    assert not frame["option"].isin(["taletrectinib", "repotrectinib"]).any(), "the G2032R-specific rows need G2032R"


def test_ros1_progression_on_crizotinib_lorlatinib_suggested_entrectinib_and_ceritinib_cautioned():
    frame = opts("ROS1", "progression")
    assert strengths(frame, "lorlatinib") == ["suggested second-line choice"]
    for drug in ("entrectinib", "ceritinib"):
        assert frame.loc[frame["option"].eq(drug), "tier"].eq("restricted or cautioned").all(), drug
    assert "may be effective (case reports)" in strengths(frame, "cabozantinib")
    platinum = frame[frame["option"].str.startswith("platinum-based chemotherapy")]
    assert len(platinum) == 1 and "not encouraging" in platinum["strength"].iloc[0]


@pytest.mark.parametrize("mutation,drug", [("EGFR", "add EGFR inhibitor"), ("KIT", "add KIT inhibitor")])
def test_ros1_progression_with_bypass_adds_the_matching_inhibitor(mutation, drug):
    assert has(opts("ROS1", "progression", mutation=mutation), drug)
    assert not has(opts("ROS1", "progression"), drug)


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
    assert icis["tier"].tolist() == ["restricted or cautioned"] and "caution" in icis["strength"].iloc[0]
    assert frame["tier"].iloc[0] == "recommended"


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


# --- the strength tiers -------------------------------------------------------------------------------

@pytest.mark.parametrize("strength,tier", [
    ("category 1", "recommended"), ("preferred", "recommended"), ("should be prioritized", "recommended"),
    ("may be considered", "option"), ("acceptable", "option"), ("potential option", "option"),
    ("only when access to preferred agents is limited", "restricted or cautioned"),
    ("may not be optimal", "restricted or cautioned"),
    ("recommended in several guidelines; response rate not encouraging", "restricted or cautioned"),
    (None, "option"),
])
def test_strength_tier(strength, tier):
    assert strength_tier(strength) == tier
