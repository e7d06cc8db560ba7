"""The book's package: statistics, chart style, offline Vega bundle."""
from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import ros1alk as rk
from ros1alk import stats


def test_wilson_interval_is_statsmodels_wilson():
    low, high = stats.wilson_interval([36, 91], [50, 127])
    ref_low, ref_high = proportion_confint([36, 91], [50, 127], method="wilson")
    assert np.allclose(low, ref_low) and np.allclose(high, ref_high)
    assert (low < np.array([36 / 50, 91 / 127])).all() and (high > np.array([36 / 50, 91 / 127])).all()


def test_responders_from_rate_rounds():
    assert list(stats.responders_from_rate([72, 70], [50, 34])) == [36, 24]


def _dl_by_hand(events, totals):
    """DerSimonian-Laird on the logit scale, written out from the formulas (for comparison only)."""
    e, n = np.asarray(events, float), np.asarray(totals, float)
    y = np.log(e / (n - e))
    v = 1 / e + 1 / (n - e)
    w = 1 / v
    mu_fe = (w * y).sum() / w.sum()
    q = (w * (y - mu_fe) ** 2).sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    w_re = 1 / (v + tau2)
    mu = (w_re * y).sum() / w_re.sum()
    se = np.sqrt(1 / w_re.sum())
    expit = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    i2 = max(0.0, (q - (len(y) - 1)) / q)
    return expit(mu), expit(mu - 1.959964 * se), expit(mu + 1.959964 * se), tau2, i2


@pytest.mark.parametrize("events,totals", [
    ([10, 30, 50], [100, 100, 100]),   # heterogeneous: tau^2 > 0
    ([36, 24, 91, 17, 23], [50, 34, 127, 26, 34]),  # homogeneous: Q < df, tau^2 truncated to 0
])
def test_pooled_proportion_matches_dersimonian_laird(events, totals):
    got = stats.pooled_proportion(events, totals)
    est, lo, hi, tau2, i2 = _dl_by_hand(events, totals)
    assert got.estimate == pytest.approx(est, rel=1e-6)
    assert got.ci_low == pytest.approx(lo, rel=1e-4) and got.ci_high == pytest.approx(hi, rel=1e-4)
    assert got.tau2 == pytest.approx(tau2, abs=1e-9) and got.i2 == pytest.approx(i2, abs=1e-9)
    assert got.ci_low < got.estimate < got.ci_high


def test_leave_one_out_has_one_row_per_study():
    loo = stats.leave_one_out(["a", "b", "c"], [10, 30, 50], [100, 100, 100])
    assert list(loo["left_out"]) == ["a", "b", "c"]
    assert loo.loc[loo["left_out"].eq("c"), "pooled"].iloc[0] < 0.3


def test_pooling_needs_two_studies():
    with pytest.raises(ValueError):
        stats.pooled_proportion([5], [10])


def test_styled_requires_a_description():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    with pytest.raises(ValueError):
        rk.styled(chart, title="t", description="")
    spec = rk.styled(chart, title="t", description="One point on a line, used to test the chart helper.").to_dict()
    assert spec["description"].startswith("One point") and spec["width"] == "container"


def test_theme_palette_is_applied():
    rk.setup_notebook()
    spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    assert spec["config"]["range"]["category"] == rk.PALETTE


def test_vega_bundle_defines_what_altairs_template_checks():
    from altair.vegalite.v6 import display

    from ros1alk.vega_bundle import bundle_js

    js = bundle_js()
    compact = js.replace(" ", "")
    assert f'"vegalite_version":"{display.VEGALITE_VERSION}"' in compact
    assert f'"vega_version":"{display.VEGA_VERSION}"' in compact
    assert f'"vegaembed_version":"{display.VEGAEMBED_VERSION}"' in compact
    assert "window.vegaEmbed" in js
    import inspect

    from altair.utils.html import spec_to_html

    altair_cdn = inspect.signature(spec_to_html).parameters["base_url"].default
    assert altair_cdn.startswith("https://") and altair_cdn not in js


def test_prune_datasets_keeps_only_referenced_columns():
    rk.setup_notebook()
    frame = pd.DataFrame({"drug": ["a", "b"], "value": [1.0, 2.0], "note": ["long text", "more"],
                          "shown": ["1", "2"]})
    chart = alt.Chart(frame).mark_bar().encode(x="value:Q", y="drug:N").transform_calculate(
        label="datum.shown + ' nM'")
    spec = rk.charts.prune_datasets(chart.to_dict())
    (rows,) = spec["datasets"].values()
    assert set(rows[0]) == {"drug", "value", "shown"}
    everything = alt.Chart(frame).mark_bar().encode(x="value:Q", y="drug:N", tooltip=list(frame.columns))
    (rows,) = rk.charts.prune_datasets(everything.to_dict())["datasets"].values()
    assert set(rows[0]) == set(frame.columns)


# --- shared logic moved out of the chapters (ros1alk.audit, ros1alk.display, rk.forest, chart ids) ---------

def test_wilson_percent_is_the_wilson_interval_in_percent():
    low, high = stats.wilson_percent([21, 91], [30, 127], 1)
    ref_low, ref_high = proportion_confint([21, 91], [30, 127], method="wilson")
    assert list(low) == list(np.round(100 * ref_low, 1)) and list(high) == list(np.round(100 * ref_high, 1))


def test_pooling_raises_no_warning_when_tau2_is_truncated():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = stats.pooled_proportion([36, 91, 21, 23, 17], [50, 127, 30, 34, 26])   # Q below its df
    assert fit.tau2 == 0.0 and fit.i2 == 0.0


@pytest.mark.parametrize("printed,k,n,expected", [
    (13, 1, 8, True),     # 12.5% is half-way: "13" (half up) and "12" (half to even) both fit
    (12, 1, 8, True),
    (12.5, 1, 8, True),
    (28.5, 14, 49, False),  # 28.57%: the printed 28.5 is truncated, not rounded
    (8.3, 4, 49, False),
    (85.7, 144, 168, True),
    (2.0, 47, 2400, True),
])
def test_consistent_rounds_half_either_way(printed, k, n, expected):
    assert rk.audit.consistent(printed, k, n) is expected


def test_places_restores_a_printed_trailing_zero():
    # "2.0%" is stored as 2.0; at one decimal only 47 to 49 of 2400 fit, at none 36 to 60 would.
    fits = [k for k in range(2400) if rk.audit.consistent(2.0, k, 2400, places=1)]
    assert fits == [47, 48, 49]


def test_attainable_and_fitting_denominators():
    assert not rk.audit.attainable(70, 34) and rk.audit.attainable(70, 30)
    assert rk.audit.closest_count(70, 34) == 24
    assert rk.audit.fitting_denominators(70, 34, 2, above=True) == [37, 40]


def test_errata_by_row_joins_every_erratum_of_a_row():
    rows = rk.audit.errata_by_row()
    errata = rk.load("errata").dropna(subset=["affects"])
    for _, e in errata.iterrows():
        for row in e["affects"].split("; "):
            assert e["erratum_id"] in rows[row].split(", ")


@pytest.mark.parametrize("value,qualifier,value_max,words,ci,expected", [
    (19.3, None, None, False, (None, None), "19.3"),
    (np.nan, "NR", None, False, (None, None), "NR"),
    (5.3, "approx", None, False, (None, None), "~5.3"),
    (5.3, "approx", None, True, (None, None), "about 5.3"),
    (24.0, "ge", None, False, (None, None), "≥24"),
    (3000.0, "gt", None, True, (None, None), "over 3000"),
    (4.0, "range", 6.0, False, (None, None), "4–6"),
    (34.8, "", None, False, (17.7, np.nan), "34.8 (17.7–NR)"),
    (0.47, None, None, False, (0.34, 0.65), "0.47 (0.34–0.65)"),
])
def test_value_text_writes_values_as_printed(value, qualifier, value_max, words, ci, expected):
    assert rk.value_text(value, qualifier, value_max, words=words, ci_low=ci[0], ci_high=ci[1]) == expected


def test_as_printed_works_on_a_frame_with_nullable_qualifiers():
    frame = pd.DataFrame({"value": [19.3, np.nan, 4.0], "value_max": [np.nan, np.nan, 6.0],
                          "qualifier": pd.array([pd.NA, "NR", "range"], dtype="string")})
    assert list(rk.as_printed(frame)) == ["19.3", "NR", "4–6"]


def test_forest_draws_intervals_points_and_reference():
    data = pd.DataFrame({"label": ["A", "B"], "value": [0.5, 0.8], "ci_low": [0.3, np.nan],
                         "ci_high": [0.8, np.nan], "has_ci": [True, False]})
    spec = rk.forest(data, x_title="Hazard ratio", has_ci="has_ci", title="T",
                     description="A forest plot of two hazard ratios with their intervals.").to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "rule", "point"]                      # HR = 1, the intervals, the estimates
    assert spec["layer"][1]["encoding"]["x"]["scale"]["type"] == "log"
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"
    assert spec["layer"][2]["encoding"]["y"]["sort"] == ["A", "B"]
    assert spec["description"].startswith("A forest plot")
    linear = rk.forest(data, x_title="ORR (%)", log=False, reference=None, labels="label", title="T",
                       description="A forest plot of two response rates with their intervals.").to_dict()
    assert [layer["mark"]["type"] for layer in linear["layer"]] == ["rule", "point", "text"]


def test_colours_by_meaning_are_colour_blind_safe_palette_entries():
    assert set(rk.COLOURS.values()) - {"#999999"} <= set(rk.PALETTE)
    assert rk.target_scale(["ROS1", "ALK"]).to_dict() == {"domain": ["ROS1", "ALK"], "range": rk.PALETTE[:2]}


def test_chart_ids_are_deterministic_and_distinct():
    from ros1alk import charts

    chart = rk.styled(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"), title="T",
                      description="One point on a line, to test the chart ids.")
    rk.setup_notebook()
    first = [charts._html_renderer(chart.to_dict())["text/html"] for _ in range(2)]
    rk.setup_notebook()
    again = [charts._html_renderer(chart.to_dict())["text/html"] for _ in range(2)]
    assert first == again                              # a re-run gives the same ids
    ids = [re.search(r'id="(altair-viz-[0-9a-f]{32})"', html).group(1) for html in first]
    assert ids[0] != ids[1]                            # two charts on a page never share one


def test_setup_notebook_sets_text_width():
    rk.setup_notebook(full_text=True)
    assert pd.get_option("display.max_colwidth") is None
    rk.setup_notebook()
    assert pd.get_option("display.max_colwidth") == 50
