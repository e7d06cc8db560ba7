"""What has changed since the two source reviews (``data/updates.csv``), for the pages that need it."""
from __future__ import annotations

import pandas as pd

from .data import load


def last_reviewed() -> str:
    """The newest ``last_checked`` date of the updates table (ISO 8601): the book's "last reviewed" date."""
    return str(load("updates")["last_checked"].max())


def since_the_sources(target: str | None = None) -> pd.DataFrame:
    """The developments since the sources, newest first, for one target (``"ALK"``, ``"ROS1"``) or all.

    Columns: date, drug, kind, agency, setting, what changed, what the reviews said, source (bib key and
    locator), last checked. Rows whose target is "ALK and ROS1" appear for both targets.
    """
    updates = load("updates")
    if target is not None:
        if target not in ("ALK", "ROS1"):
            raise ValueError(f"unknown target {target!r}: choose ALK, ROS1 or None")
        updates = updates[updates["target"].isin([target, "ALK and ROS1"])]
    shown = updates.sort_values("date", ascending=False).assign(
        source=lambda d: d["citation"] + ": " + d["locator"])
    columns = {"date": "date", "drug": "drug", "kind": "kind", "agency": "agency", "setting": "setting",
               "change": "what changed", "sources_said": "what the reviews said", "source": "source",
               "last_checked": "last checked"}
    return shown[list(columns)].rename(columns=columns).fillna("").reset_index(drop=True)
