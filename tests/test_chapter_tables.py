"""The tables a chapter reproduces from the crizotinib review, as the reader sees them, against the source.

nbval proves that a chapter re-runs to the same output, not that the output is right: a table stored with
every cell "NR" re-runs to every cell "NR". These tests read the table a chapter displays (its stored HTML
output, in the cell tagged ``reproduces-table-N``) and compare it cell by cell with the review's own text
(``tests/fixtures/zhong2024_table*.tsv``), the fixtures ``test_source_tables.py`` checks the data against.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from conftest import REPO
from test_source_tables import TABLE2, TABLE2_IDS, TABLE3, TABLE3_IDS, _numbers, matches, ref_key, table4_cells

import ros1alk as rk


class _Table(HTMLParser):
    """Rows of the first <table> in pandas' HTML, with rowspans (MultiIndex labels) filled in."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._spans = [], None, None, {}

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = {"text": "", "rowspan": int(dict(attrs).get("rowspan", 1))}

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            col = len(self._row)
            while col in self._spans:                      # a label spanning down from a row above
                text, left = self._spans.pop(col)
                self._row.append(text)
                if left > 1:
                    self._spans[col] = (text, left - 1)
                col = len(self._row)
            text = self._cell["text"].strip()
            if self._cell["rowspan"] > 1:
                self._spans[col] = (text, self._cell["rowspan"] - 1)
            self._row.append(text)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


def displayed_table(notebook: str, tag: str) -> list[list[str]]:
    """The rows of the table displayed by the cell tagged ``tag`` (header rows included)."""
    nb = json.loads((REPO / "chapters" / notebook).read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if tag in c["metadata"].get("tags", [])]
    assert len(cells) == 1, f"{notebook}: expected one cell tagged {tag!r}, found {len(cells)}"
    html = [o["data"]["text/html"] for o in cells[0]["outputs"] if "text/html" in o.get("data", {})]
    assert html, f"{notebook}: the cell tagged {tag!r} displays no table"
    parser = _Table()
    parser.feed("".join(html[-1]))
    return parser.rows


def by_first_column(rows, header_rows=1):
    header = rows[0]
    return header, {r[0]: dict(zip(header, r)) for r in rows[header_rows:]}


def same_number(shown: str, printed: str) -> bool:
    """A displayed cell shows the printed cell: 'NR' and '–' alike, numbers equal at the printed precision."""
    if printed in ("NR", "–"):
        return shown == printed
    number = re.search(r"[\d.]+", shown)
    return number is not None and matches(float(number.group()), printed.rstrip("%"))


def study_of(printed: str) -> str:
    return re.sub(r"<i>|</i>", "", printed).replace("ROS1 -", "ROS1-")


# --- Table 2: five prospective trials of crizotinib ----------------------------------------------------

def test_chapter_04_reproduces_table_2_cell_by_cell():
    header, shown = by_first_column(displayed_table("04-ros1-trials.ipynb", "reproduces-table-2"), header_rows=2)
    source_header = TABLE2[0]
    assert list(shown) == [row[0] for row in TABLE2[1:]], "rows (study and n) differ from the review's"
    for row in TABLE2[1:]:
        printed = dict(zip(source_header, row))
        got = shown[row[0]]
        assert got["Phase"] == printed["Phase"]
        assert got["Treatment line"].startswith(printed["Treatment line"]), (row[0], got["Treatment line"])
        assert got["ORR"] == printed["ORR"], (row[0], got["ORR"], printed["ORR"])
        for column in ["mPFS (months)", "mOS (months)", "mDOR (months)"]:
            assert same_number(got[column], printed[column]), (row[0], column, got[column], printed[column])
        printed_rates = re.findall(r"(\d+) months: ([\d.]+)%", printed["OS rate"])
        shown_rates = re.findall(r"(\d+) mo: ([\d.]+)%", got["OS rate"])
        assert len(shown_rates) == len(printed_rates) and all(
            m1 == m2 and matches(float(v1), v2) for (m1, v1), (m2, v2) in zip(shown_rates, printed_rates)), row[0]
        assert got["Ref."] == ref_key(printed["Ref."])


def test_chapter_00_reproduces_the_outcomes_of_table_2():
    header, shown = by_first_column(displayed_table("00-how-this-book-works.ipynb", "reproduces-table-2"),
                                    header_rows=2)
    source_header = TABLE2[0]
    columns = {"ORR": "ORR", "PFS_median": "mPFS (months)", "OS_median": "mOS (months)",
               "DOR_median": "mDOR (months)"}
    assert list(shown) == TABLE2_IDS
    for study_id, row in zip(TABLE2_IDS, TABLE2[1:]):
        printed = dict(zip(source_header, row))
        got = shown[study_id]
        for ours, theirs in columns.items():
            assert same_number(got[ours], printed[theirs]), (row[0], ours, got[ours], printed[theirs])


# --- Table 3: nine real-world series from China ---------------------------------------------------------

def _tokens(printed: str) -> list[str]:
    """Numbers and NRs of a printed cell, in reading order, without p-values and footnote marks."""
    cell = re.sub(r"p [=<] [\d.]+", "", printed.replace("(1st line)", ""))
    return re.findall(r"NR|(?<![\w.])\d+(?:\.\d+)?", cell)


def test_chapter_06_reproduces_table_3_cell_by_cell():
    rows = displayed_table("06-real-world-china.ipynb", "reproduces-table-3")
    header = rows[0]
    body = [dict(zip(["study", "arm", *header[2:]], r)) for r in rows[2:]]
    studies = rk.load("studies").set_index("study_id")
    short = studies["name"].str.replace(r"^(\w+) .*(\d{4})$", r"\1 \2", regex=True)
    assert [r["study"] for r in body if r["arm"] == "crizotinib"] == [short[s] for s in TABLE3_IDS]
    columns = {"ORR (%)": 3, "DCR (%)": 4, "median PFS": 5, "median OS": 6}
    for study_id, row in zip(TABLE3_IDS, TABLE3[1:]):
        arms = [r for r in body if r["study"] == short[study_id]]
        for column, index in columns.items():
            printed = _tokens(row[index])
            shown = [t for r in arms if r[column] != "–" for t in _tokens(r[column])]
            assert len(shown) == len(printed), (study_id, column, shown, row[index])
            assert all(s == p if "NR" in (s, p) else matches(float(s), p) for s, p in zip(shown, printed)), (
                study_id, column, shown, row[index])
        printed_p = [p for cell in row[3:7] for p in _numbers(cell)[1]]
        shown_p = re.findall(r"p [=<] ([\d.]+)", " ".join(r["p (vs chemotherapy)"] for r in arms))
        # Every p-value the review prints is shown (the data may add one from the primary paper).
        assert not Counter(map(float, printed_p)) - Counter(map(float, shown_p)), (study_id, shown_p, printed_p)


# --- Table 4: IC50 of nine drugs against ROS1 genotypes ---------------------------------------------------

def test_chapter_07_reproduces_table_4_cell_by_cell():
    rows = displayed_table("07-resistance.ipynb", "reproduces-table-4")
    drugs = rows[0][1:]
    shown = {(r[0], drug): text for r in rows[2:] for drug, text in zip(drugs, r[1:])}
    cells = table4_cells()
    assert len(shown) == len(cells) == 90
    for genotype, drug, gt, value, _symbol in cells:
        text = shown[(genotype, drug)]
        assert text.startswith(">") == bool(gt), (genotype, drug, text)
        assert matches(float(text.lstrip(">")), value), (genotype, drug, text, value)


@pytest.mark.parametrize("broken", ["NR", "–"])
def test_an_all_nr_table_would_fail(broken):
    """The check that nbval cannot make: a Table 2 whose every cell reads 'NR' (the bug of commit 01e3a25)."""
    printed = dict(zip(TABLE2[0], TABLE2[1]))
    assert not all(same_number(broken, printed[c]) for c in ["ORR", "mPFS (months)", "mOS (months)"])
