"""How the book writes a stored value back out the way the source printed it.

The data keep "not reached", "about", "at least" and ranges in a ``qualifier`` column beside the number
(and the top of a range in ``value_max``); tables in the chapters turn them back into text with
:func:`as_printed`, so every chapter writes "NR", "~5.3" or "4–6" the same way.
"""
from __future__ import annotations

import pandas as pd

# Qualifier -> prefix, in symbols (tables) and in words (sentences).
SYMBOLS = {"approx": "~", "ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
WORDS = {"approx": "about ", "ge": "at least ", "gt": "over ", "le": "up to ", "lt": "under "}


def _missing(x) -> bool:
    return x is None or (not isinstance(x, str) and pd.isna(x))


def number(x) -> str:
    """A stored number as printed: shortest form, no trailing zeros (``f"{x:g}"``)."""
    return f"{float(x):g}"


def value_text(value, qualifier=None, value_max=None, *, words: bool = False, ci_low=None, ci_high=None) -> str:
    """One value with its qualifier, as printed: ``NR``, ``~5.3``, ``≥24``, ``4–6``, ``28.5 (20.1–38)``.

    ``words=True`` writes the qualifier in words ("about 5.3", "at least 24") for running text.
    Where ``ci_low`` is given, the 95% CI follows in brackets (its upper end "NR" if not reached).
    """
    q = "" if _missing(qualifier) else str(qualifier)
    if q == "NR":
        text = "NR"
    elif q == "range" and not _missing(value_max):
        text = f"{number(value)}–{number(value_max)}"
    else:
        text = (WORDS if words else SYMBOLS).get(q, "") + number(value)
    if not _missing(ci_low):
        text += f" ({number(ci_low)}–{'NR' if _missing(ci_high) else number(ci_high)})"
    return text


def as_printed(frame: pd.DataFrame, *, words: bool = False, ci: bool = False, value: str = "value",
               qualifier: str = "qualifier", value_max: str = "value_max") -> pd.Series:
    """:func:`value_text` for every row of ``frame`` (columns named as in ``data/``)."""
    def col(name):
        return frame[name] if name in frame else pd.Series(pd.NA, index=frame.index)

    lows, highs = (col("ci_low"), col("ci_high")) if ci else (col("__none__"), col("__none__"))
    return pd.Series([value_text(v, q, m, words=words, ci_low=lo, ci_high=hi)
                      for v, q, m, lo, hi in zip(frame[value], col(qualifier), col(value_max), lows, highs)],
                     index=frame.index, dtype=object)
