"""The book's package: statistics, chart style, offline Vega bundle."""
from __future__ import annotations

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
