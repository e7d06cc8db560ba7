"""The table of changes since the sources, and the pages that must show it."""
from __future__ import annotations

import json
import re

import pytest
from conftest import REPO

import ros1alk as rk

UPDATES = rk.load("updates")


def test_dates_are_ordered_and_every_row_is_checked_against_a_cited_source():
    assert (UPDATES["date"] <= UPDATES["last_checked"]).all()
    keys = set(rk.load("references")["key"])
    assert UPDATES["citation"].isin(keys).all() and UPDATES["verification"].eq("checked").all()
    approvals = UPDATES[UPDATES["kind"].isin(["approval", "authorisation", "filing"])]
    assert approvals["agency"].notna().all(), "a regulatory development names its agency"


def test_landing_page_date_is_the_newest_check_of_the_updates_table():
    intro = (REPO / "intro.md").read_text(encoding="utf-8")
    dates = re.findall(r"[Ll]ast reviewed:?\**\s*(\d{4}-\d{2}-\d{2})", intro)
    assert dates, "intro.md states when the book was last reviewed"
    assert set(dates) == {rk.last_reviewed()}, "update intro.md when data/updates.csv is re-checked"


def test_since_the_sources_filters_by_target_and_is_newest_first():
    ros1 = rk.since_the_sources("ROS1")
    assert set(ros1["drug"]) == set(UPDATES.loc[UPDATES["target"].isin(["ROS1", "ALK and ROS1"]), "drug"])
    assert ros1["date"].tolist() == sorted(ros1["date"], reverse=True)
    assert len(rk.since_the_sources()) == len(UPDATES)
    with pytest.raises(ValueError, match="ALK, ROS1"):
        rk.since_the_sources("EGFR")


@pytest.mark.parametrize("chapter,target", [("04-ros1-trials", "ROS1"), ("05-alk-trials", "ALK"),
                                            ("09-sequencing", None)])
def test_evidence_and_sequencing_chapters_show_the_changes(chapter, target):
    nb = json.loads((REPO / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "since_the_sources" in "".join(c["source"])]
    assert cells, f"{chapter} has a 'Since the sources' table"
    shown = "".join(str(o.get("data", {}).get("text/html", "")) for c in cells for o in c.get("outputs", []))
    expected = rk.since_the_sources(target)
    for drug in expected["drug"]:
        assert drug in shown, f"{chapter}: {drug} missing from the stored table"


@pytest.mark.parametrize("page", ["intro.md", "chapters/teaching-guide.md"])
def test_landing_page_and_teaching_guide_name_every_change(page):
    text = (REPO / page).read_text(encoding="utf-8")
    for drug in UPDATES["drug"]:
        assert drug in text, f"{page} does not mention {drug} in its 'since the sources' note"
