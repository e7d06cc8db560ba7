"""The teaching kit: run sheets that fit 75 minutes, exercises that say what they take, the course quiz.

Static checks of the sources (no build needed): chapters/teaching-guide.md, chapters/teaching/*.md and the
exercise blocks of chapters/*.ipynb.
"""
from __future__ import annotations

import json
import re

import pytest
from conftest import REPO

GUIDE = REPO / "chapters" / "teaching-guide.md"
TEACHING = REPO / "chapters" / "teaching"
SESSION = re.compile(r"^## Session (\d+): (.+)$", re.M)
RUN_ROW = re.compile(r"^\| (\d+)–(\d+) \| ([^|]+) \|", re.M)
EXERCISE = re.compile(r"```\{exercise\}([^\n]*)\n:label: (ex-[\w-]+)\n(?::[^\n]*\n)*\n([^\n]*)")
META = re.compile(r"^\*About (\d+) minutes · (needs code|no code[^*]*)[.]\*$")
NUMREF = re.compile(r"\{numref\}`(ex-[\w-]+)`( \([a-z]\)(?: only)?)?")


def guide_sessions() -> dict[int, tuple[str, str]]:
    """Session number -> (title, the text of its section)."""
    text = GUIDE.read_text(encoding="utf-8")
    heads = list(SESSION.finditer(text))
    out = {}
    for head, nxt in zip(heads, heads[1:] + [None]):
        end = nxt.start() if nxt else text.index("\n## ", head.end())
        out[int(head.group(1))] = (head.group(2).strip(), text[head.end():end])
    return out


def exercises() -> dict[str, dict]:
    """Every exercise of every chapter: label -> chapter, title and its minutes/code line."""
    found = {}
    for path in sorted((REPO / "chapters").glob("[0-9][0-9]-*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for title, label, first in EXERCISE.findall("".join(cell["source"])):
                found[label] = {"chapter": path.name[:2], "title": title.strip(), "first_line": first}
    return found


def kind(label: str) -> str:
    """'no code', 'partly' (a part needs code) or 'code', from the exercise's first line."""
    mode = META.match(EXERCISES[label]["first_line"]).group(2)
    return "code" if mode == "needs code" else "partly" if mode.startswith("no code for") else "no code"


SESSIONS = guide_sessions()
EXERCISES = exercises()


def test_the_guide_has_six_sessions_in_order():
    assert sorted(SESSIONS) == list(range(1, 7))


@pytest.mark.parametrize("number", sorted(SESSIONS))
def test_run_sheet_is_contiguous_and_ends_by_minute_75(number):
    _, body = SESSIONS[number]
    rows = [(int(a), int(b), what.strip()) for a, b, what in RUN_ROW.findall(body)]
    assert len(rows) >= 6, f"session {number}: no run sheet"
    assert rows[0][0] == 0, f"session {number}: the run sheet must start at minute 0"
    for (_, end, what), (start, _, nxt) in zip(rows, rows[1:]):
        assert start == end, f"session {number}: gap or overlap between '{what}' and '{nxt}'"
    assert all(a < b for a, b, _ in rows), f"session {number}: a block ends before it starts"
    assert rows[-1][1] <= 75, f"session {number}: the run sheet ends at minute {rows[-1][1]}, after 75"
    assert rows[0][2].startswith("Opening case"), f"session {number}: open with the case"
    assert any(what.startswith("Return to the case") for *_, what in rows[-3:]), \
        f"session {number}: the case must return at the end"


@pytest.mark.parametrize("number", sorted(SESSIONS))
def test_in_class_exercises_are_no_code_and_fit_their_slot(number):
    _, body = SESSIONS[number]
    sheet = body[:body.index("**Homework.**")]
    in_class = NUMREF.findall(sheet)
    assert 2 <= len(in_class) <= 4, f"session {number}: {len(in_class)} exercises in class"
    for label, part in in_class:
        assert label in EXERCISES, f"session {number}: unknown exercise {label}"
        if kind(label) == "code":
            pytest.fail(f"session {number}: {label} needs code; move it to the homework")
        if kind(label) == "partly":
            assert part, f"session {number}: {label} is only partly no-code; name the part used in class"
    # every exercise row of the run sheet fits the exercise's own estimate
    for a, b, what in RUN_ROW.findall(sheet):
        row = sheet[sheet.index(f"| {a}–{b} |"):].split("\n", 1)[0]
        labels = [label for label, _ in NUMREF.findall(row)]
        if len(labels) == 1 and "Exercise" in what:
            minutes = int(META.match(EXERCISES[labels[0]]["first_line"]).group(1))
            assert int(b) - int(a) >= minutes, f"session {number}: {labels[0]} needs {minutes} min, gets less"


@pytest.mark.parametrize("label", sorted(EXERCISES))
def test_every_exercise_has_a_title_minutes_and_code_line(label):
    ex = EXERCISES[label]
    assert ex["title"], f"{label}: no title (the guide's references would read 'Exercise N' only)"
    assert META.match(ex["first_line"]), f"{label}: first line must be '*About N minutes · no code…*'"


@pytest.mark.parametrize("chapter", sorted({e["chapter"] for e in EXERCISES.values()}))
def test_every_chapter_has_two_no_code_exercises(chapter):
    no_code = [label for label, e in EXERCISES.items() if e["chapter"] == chapter and kind(label) == "no code"]
    assert len(no_code) >= 2, f"chapter {chapter}: only {no_code} without code"


@pytest.mark.parametrize("number", sorted(SESSIONS))
def test_each_session_has_a_case_sheet_and_a_key(number):
    title, _ = SESSIONS[number]
    case = (TEACHING / f"case-{number}.md").read_text(encoding="utf-8")
    key = (TEACHING / f"key-{number}.md").read_text(encoding="utf-8")
    assert case.startswith(f"# Session {number} case sheet: {title}\n")
    assert key.startswith(f"# Session {number} facilitator key: {title}\n")
    questions = re.findall(r"^\d\. ", case, re.M)
    assert 3 <= len(questions) <= 4, f"case sheet {number}: {len(questions)} questions"
    assert case.count("answer-space") == len(questions)
    assert "We return to this case" in case
    assert "**Model answer.**" in key and "**Common wrong answer" in key and "**Where the book supports it.**" in key
    assert "Model answer" not in case


def test_course_quiz_has_ten_items_and_a_key():
    text = GUIDE.read_text(encoding="utf-8")
    quiz = text[text.index("## Pre- and post-course quiz"):text.index("## Before the first session")]
    items = re.findall(r"^ ?(\d+)\. ", quiz, re.M)
    assert items == [str(i) for i in range(1, 11)]
    key_rows = re.findall(r"^\| (\d+) \| \(([a-d])\) \|", quiz, re.M)
    assert [int(n) for n, _ in key_rows] == list(range(1, 11))
    for n, letter in key_rows:
        item = re.search(rf"^ ?{n}\. (.+?)(?=^ ?\d+\. |^```)", quiz, re.M | re.S).group(1)
        assert f"({letter})" in item, f"quiz item {n}: the key's answer ({letter}) is not an option"


def test_guide_points_to_the_learner_notebooks_and_handouts():
    text = GUIDE.read_text(encoding="utf-8")
    assert "`make learner`" in text and "`make handouts`" in text
