"""The percentage audit: one rule for "does this percentage fit these counts?", one list of what is audited.

The rule. A percentage printed with *d* decimals stands for every exact value within half a unit of its
last digit: 13 stands for [12.5, 13.5], 28.5 for [28.45, 28.55]. So *k* of *n* is **consistent** with a
printed percentage when ``|100 k / n - printed| <= 0.5 * 10**-d``, and the percentage is **attainable**
with *n* when some whole *k* from 0 to *n* is consistent with it. Half-way cases count as consistent
whichever way the author rounded: 1 of 8 (12.5%) fits both "12%" and "13%". (Comparing
``round(100 * k / n, d) == printed`` instead would follow Python's round-half-to-even and call "13%"
unattainable with n = 8; the book does not use that rule anywhere.)

The specification. :data:`PERCENT_SPECS` names, for each table, the percentage column, the count and the
total it is recomputed from, and which rows take part. The audit chapter and ``tests/test_data.py`` both
call :func:`percentage_audit`, so they cannot drift apart.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .data import load


def decimals(printed: float) -> int:
    """Digits after the decimal point as printed: 28.5 -> 1, 72 -> 0, 2.59 -> 2."""
    d = Decimal(repr(float(printed))).normalize()
    return max(0, -d.as_tuple().exponent)


def allowance(printed: float, places: int | None = None) -> float:
    """Half a unit of the last printed digit: 0.5 for 13, 0.05 for 28.5.

    A stored number forgets trailing zeros ("2.0%" is stored as 2.0, which reads as "2"); pass ``places``
    when the source printed more digits than the number shows.
    """
    return 0.5 * 10.0 ** -(decimals(printed) if places is None else places)


def consistent(printed: float, k: int, n: int, places: int | None = None) -> bool:
    """Does k of n, as a percentage, round to the printed value at its printed precision?"""
    return abs(100 * k / n - float(printed)) <= allowance(printed, places) + 1e-9   # 1e-9: floating-point slack


def attainable(printed: float, n: int, places: int | None = None) -> bool:
    """Can some whole number of patients k (0..n) out of n give the printed percentage?"""
    return any(consistent(printed, k, int(n), places) for k in range(int(n) + 1))


def closest_count(printed: float, n: int) -> int:
    """The whole number of patients k whose k/n comes closest to the printed percentage."""
    k = np.arange(int(n) + 1)
    return int(np.argmin(np.abs(100 * k / int(n) - float(printed))))


def fitting_denominators(printed: float, n: int, how_many: int = 3, *, above: bool = False) -> list[int]:
    """Denominators near ``n`` with which the printed percentage is attainable.

    Below (default): the largest ones under n. Above: the smallest ones over n, up to 1.5 n.
    """
    n = int(n)
    candidates = range(n + 1, int(1.5 * n) + 1) if above else range(n - 1, 0, -1)
    return [m for m in candidates if attainable(printed, m)][:how_many]


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("")


@dataclass(frozen=True)
class PercentSpec:
    """Where a table keeps a percentage and the count and total it should come from."""

    table: str
    key: str
    percent: str
    count: str
    total: str
    rows: Callable[[pd.DataFrame], pd.Series]
    what: Callable[[pd.DataFrame], pd.Series]


PERCENT_SPECS: tuple[PercentSpec, ...] = (
    PercentSpec("outcomes", "id", "value", "n_events", "n", lambda f: f["unit"].eq("percent"),
                lambda f: _text(f["study_id"]) + ": " + _text(f["endpoint"]) + ", " + _text(f["arm"])),
    PercentSpec("prevalence", "id", "value", "n_positive", "n_tested", lambda f: f["measure"].str.startswith("percent"),
                lambda f: _text(f["study_id"]) + ": " + _text(f["measure"]) + ", " + _text(f["level"])),
    PercentSpec("resistance_mutations", "id", "percent", "n", "n_total", lambda f: f["percent"].notna(),
                lambda f: _text(f["study_id"]) + ": " + _text(f["mutation"])),
    PercentSpec("fusion_partners", "id", "percent", "n", "n_total", lambda f: f["percent"].notna(),
                lambda f: _text(f["study_id"]) + ": " + _text(f["partner"])),
    PercentSpec("studies", "study_id", "percent_positive", "n_positive", "n_screened",
                lambda f: f["percent_positive"].notna(), lambda f: _text(f["name"]) + ": share positive"),
)


def percentage_audit(specs: tuple[PercentSpec, ...] = PERCENT_SPECS) -> pd.DataFrame:
    """Every percentage stored with its count and total, recomputed.

    One row per audited percentage: ``table``, ``id``, ``what``, ``reported``, ``count``, ``total``,
    ``recomputed`` (100 k / n to 2 decimals) and ``consistent`` (see :func:`consistent`).
    """
    rows = []
    for spec in specs:
        frame = load(spec.table)
        frame = frame[spec.rows(frame).fillna(False).astype(bool)].dropna(subset=[spec.percent, spec.count, spec.total])
        for (_, r), what in zip(frame.iterrows(), spec.what(frame)):
            k, n = int(r[spec.count]), int(r[spec.total])
            rows.append({"table": spec.table, "id": r[spec.key], "what": what, "reported": float(r[spec.percent]),
                         "count": k, "total": n, "recomputed": round(100 * k / n, 2),
                         "consistent": consistent(r[spec.percent], k, n)})
    return pd.DataFrame(rows)


def errata_by_row(action: str | None = None) -> pd.Series:
    """Erratum ids per affected row, keyed ``"table:ID"`` (several errata joined with ", ").

    ``action="kept"`` keeps only errata whose row still holds the printed value.
    """
    errata = load("errata")
    if action is not None:
        errata = errata[errata["action"].eq(action)]
    rows = (errata.assign(row=errata["affects"].str.split("; ")).explode("row")
            .dropna(subset=["row"]))
    rows["row"] = rows["row"].str.strip()
    return rows.groupby("row", sort=True)["erratum_id"].agg(", ".join)


def errata_for(table: str, ids, action: str | None = None) -> pd.Series:
    """Erratum ids (joined with ", ") for rows ``ids`` of ``table``; missing where none applies."""
    ids = pd.Series(ids)
    return (table + ":" + ids.astype(str)).map(errata_by_row(action)).set_axis(ids.index)
