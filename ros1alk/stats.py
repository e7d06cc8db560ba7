"""Re-analyses the sources do not offer: intervals for reported proportions and pooled rates.

All intervals come from statsmodels; this module only arranges inputs and outputs.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.proportion import proportion_confint


def wilson_interval(count, nobs, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval (as proportions) for ``count`` successes out of ``nobs``."""
    low, high = proportion_confint(np.asarray(count), np.asarray(nobs), alpha=alpha, method="wilson")
    return np.asarray(low), np.asarray(high)


def wilson_percent(count, nobs, decimals: int | None = None, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval in percent for ``count`` of ``nobs``, rounded to ``decimals`` if given.

    Chapter 00 teaches the statsmodels call (``proportion_confint(..., method="wilson")``); later
    chapters use this helper: ``frame["ci_low_pct"], frame["ci_high_pct"] = rk.stats.wilson_percent(k, n, 1)``.
    """
    low, high = wilson_interval(np.asarray(count, dtype=int), np.asarray(nobs, dtype=int), alpha=alpha)
    low, high = 100 * low, 100 * high
    if decimals is not None:
        low, high = np.round(low, decimals), np.round(high, decimals)
    return low, high


def responders_from_rate(rate_percent, n) -> np.ndarray:
    """Number of responders implied by a reported percentage and its denominator (rounded)."""
    return np.rint(np.asarray(rate_percent, dtype=float) / 100 * np.asarray(n, dtype=float)).astype(int)


@dataclass(frozen=True)
class PooledProportion:
    """A random-effects (DerSimonian-Laird) pooled proportion, back-transformed from the logit scale."""

    estimate: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    q: float
    k: int


def _logit_effects(events, totals) -> tuple[np.ndarray, np.ndarray]:
    events = np.asarray(events, dtype=float)
    totals = np.asarray(totals, dtype=float)
    # 0.5 continuity correction only where a study has 0% or 100%.
    edge = (events == 0) | (events == totals)
    e = np.where(edge, events + 0.5, events)
    n = np.where(edge, totals + 1.0, totals)
    effect = np.log(e / (n - e))
    variance = 1.0 / e + 1.0 / (n - e)
    return effect, variance


def _expit(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def pooled_proportion(events, totals, alpha: float = 0.05) -> PooledProportion:
    """Random-effects pooled proportion (logit scale, DerSimonian-Laird) via statsmodels.

    statsmodels 0.15's ``method_re="dl"`` leaves the moment estimate of tau-squared negative when
    Cochran's Q is below its degrees of freedom; DerSimonian and Laird truncate it at zero, in which
    case the random-effects estimate equals the fixed-effect one. We apply that truncation here.
    """
    effect, variance = _logit_effects(events, totals)
    k = len(effect)
    if k < 2:
        raise ValueError("pooling needs at least two studies")
    # statsmodels takes the square root of the negative raw tau² (invalid value in sqrt) before we truncate it;
    # that intermediate warning is expected and is silenced here, once, instead of in every chapter.
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = combine_effects(effect, variance, method_re="dl", alpha=alpha)
        intervals = res.conf_int(alpha=alpha)
    q = float(res.q)
    if res.tau2 <= 0:
        tau2, i2 = 0.0, 0.0
        center = float(res.mean_effect_fe)
        low, high = (float(v) for v in intervals[0])  # fixed-effect interval
        # conf_int returns ((fe_low, fe_upp), (re_low, re_upp), ...); index 0 is fixed effect.
    else:
        tau2, i2 = float(res.tau2), float(max(0.0, res.i2))
        center = float(res.mean_effect_re)
        low, high = (float(v) for v in intervals[1])
    return PooledProportion(_expit(center), _expit(low), _expit(high), tau2, i2, q, k)


def leave_one_out(labels, events, totals, alpha: float = 0.05) -> pd.DataFrame:
    """Pooled proportion recomputed with each study left out in turn."""
    labels, events, totals = list(labels), np.asarray(events), np.asarray(totals)
    rows = []
    for i, label in enumerate(labels):
        keep = np.arange(len(labels)) != i
        p = pooled_proportion(events[keep], totals[keep], alpha=alpha)
        rows.append({"left_out": label, "pooled": p.estimate, "ci_low": p.ci_low, "ci_high": p.ci_high,
                     "tau2": p.tau2, "i2": p.i2})
    return pd.DataFrame(rows)
