"""The chapters as JupyterLab shows them: folded plumbing, closed solutions, learner copies.

The site reads cell tags (``hide-input``, ``hide-cell``, ``remove-cell``, ...) and the MyST gates
``{solution-start}`` / ``{solution-end}``; JupyterLab ignores both and folds a cell only when its
metadata says ``jupyter.source_hidden`` / ``jupyter.outputs_hidden``. :func:`sync_folding` derives that
metadata from the tags and the gates, so the notebook opened in Binder hides what the site hides:

=================  ==================  ===================
cell               source_hidden       outputs_hidden
=================  ==================  ===================
hide-input         yes                 no
remove-input       yes                 no
hide-output        no                  yes
remove-output      no                  yes
hide-cell          yes                 yes
remove-cell        yes                 yes
inside a solution  yes                 yes (code cells)
=================  ==================  ===================

Everything else is unfolded (stale fold metadata is removed), so running it twice changes nothing.
:func:`learner_notebook` drops every solution (the gates and the cells between them) for handing out.
:func:`fill_numbers` writes computed numbers into the prose (see the section on numbers below), and
:func:`sync_notebook` does both after a notebook has been executed.

Command line: ``python -m ros1alk.notebooks sync chapters/*.ipynb`` rewrites numbers and fold metadata in
place (run it after executing a notebook); ``python -m ros1alk.notebooks learner OUTDIR chapters/*.ipynb`` writes
``OUTDIR/learner`` and ``OUTDIR/instructor`` (``make learner``); ``python -m ros1alk.notebooks figures
chapters/NN.ipynb`` lists the clinical figures in the prose that have no source yet, and ``python -m
ros1alk.notebooks source chapters/NN.ipynb sources.json`` records sources for them (see :func:`add_sources`)
and rewrites the text pair.
"""
from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

from .citations import fill_citations

HIDE_SOURCE = {"hide-input", "remove-input", "hide-cell", "remove-cell"}
HIDE_OUTPUTS = {"hide-output", "remove-output", "hide-cell", "remove-cell"}
# A gate is a whole directive block, from its opening fence to the matching closing fence.
_GATE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<kind>solution-start|solution-end)\}.*?^(?P=fence)[ \t]*$\n?",
                   re.M | re.S)


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def gates(cell) -> list[re.Match]:
    """The solution gates of a markdown cell, in order."""
    if cell.get("cell_type") != "markdown":
        return []
    return list(_GATE.finditer(_source(cell)))


def solution_spans(nb) -> list[tuple[int, int]]:
    """(start cell, end cell) of each solution, gates included; equal when one cell holds it all."""
    spans, start = [], None
    for i, cell in enumerate(nb["cells"]):
        for match in gates(cell):
            if match["kind"] == "solution-start":
                if start is not None:
                    raise ValueError(f"cell {i}: a solution starts before the one at cell {start} ended")
                start = i
            else:
                if start is None:
                    raise ValueError(f"cell {i}: solution-end without solution-start")
                spans.append((start, i))
                start = None
    if start is not None:
        raise ValueError(f"cell {start}: solution-start without solution-end")
    return spans


def _without_solutions(text: str, open_at_start: bool) -> tuple[str, bool]:
    """Cut solution text out of one markdown cell; returns (text, still inside a solution at the end)."""
    kept, pos, inside = [], 0, open_at_start
    for match in _GATE.finditer(text):
        if match["kind"] == "solution-start":
            kept.append(text[pos:match.start()])
            inside = True
        else:
            inside = False
        pos = match.end()
    if not inside:
        kept.append(text[pos:])
    return "".join(kept).strip("\n"), inside


def folding(nb) -> list[dict]:
    """The ``jupyter`` metadata each cell should carry (empty dict: nothing folded)."""
    inside = {i for a, b in solution_spans(nb) for i in range(a + 1, b)}
    wanted = []
    for i, cell in enumerate(nb["cells"]):
        tags = set(cell.get("metadata", {}).get("tags", []))
        fold = {}
        if tags & HIDE_SOURCE or i in inside:
            fold["source_hidden"] = True
        if cell.get("cell_type") == "code" and (tags & HIDE_OUTPUTS or i in inside):
            fold["outputs_hidden"] = True
        wanted.append(fold)
    return wanted


def sync_folding(nb):
    """Set ``metadata.jupyter.source_hidden/outputs_hidden`` from tags and solution gates, in place.

    Works on a plain dict or an nbformat ``NotebookNode``; returns the number of cells changed.
    """
    changed = 0
    for cell, fold in zip(nb["cells"], folding(nb)):
        meta = cell.setdefault("metadata", {})
        jup = dict(meta.get("jupyter", {}))
        before = dict(jup)
        for key in ("source_hidden", "outputs_hidden"):
            if fold.get(key):
                jup[key] = True
            else:
                jup.pop(key, None)
        if jup != before:
            changed += 1
        if jup:
            meta["jupyter"] = jup
        else:
            meta.pop("jupyter", None)
    return changed


# JupyterLab shows the first line of a folded cell in its placeholder. Cells of a solution that spans several
# cells therefore start with a neutral line, so the fold does not give the answer away (a MyST comment, which
# no renderer shows, in markdown; a Python comment in code).
SOLUTION_FIRST_LINE = {"markdown": "% Solution, continued", "code": "# Solution"}


def mark_solution_cells(nb) -> int:
    """Give every cell inside a multi-cell solution its neutral first line; returns how many changed."""
    changed = 0
    for start, end in solution_spans(nb):
        for cell in nb["cells"][start + 1:end]:
            first = SOLUTION_FIRST_LINE.get(cell.get("cell_type"))
            text = _source(cell)
            if first and text.partition("\n")[0].strip() != first:
                cell["source"] = f"{first}\n{text}"
                changed += 1
    return changed


def learner_notebook(nb):
    """A copy of ``nb`` without its solutions: the gates, the cells between them, and solution text."""
    solution_spans(nb)  # raises on unbalanced gates
    out = copy.deepcopy(nb)
    cells, inside = [], False
    for cell in out["cells"]:
        if cell.get("cell_type") == "markdown" and (inside or gates(cell)):
            text, inside_after = _without_solutions(_source(cell), inside)
            inside = inside_after
            if text.strip():
                cell["source"] = text
                cells.append(cell)
        elif not inside:
            cells.append(cell)
    out["cells"] = cells
    sync_folding(out)
    return out


def instructor_notebook(nb):
    """A copy of ``nb`` with its solutions, folded."""
    out = copy.deepcopy(nb)
    sync_folding(out)
    return out


# ---------------------------------------------------------------------------------------------------------
# Numbers in prose. The prose holds the *formatted number itself*, so it reads the same on the site, in
# JupyterLab and in any Markdown viewer; the cell metadata ``ros1alk.numbers`` lists, in reading order,
# where each number comes from. An entry is one of
#
# * ``{"glue": "name:format", "text": ...}``: a value a code cell computed and recorded with myst-nb's
#   ``glue(name, value, display=False)`` (nbval re-checks the stored record on every run);
# * ``{"data": "table:id:field[:format]", "text": ...}``: a value quoted from a table in ``data/`` (the row
#   whose first column is ``id``), written exactly as the CSV stores it, or formatted with ``format``;
# * ``{"literal": why, "text": ...}``: a figure typed by hand, and why no table holds it (one of LITERAL).
#
# :func:`unsourced_figures` finds every clinical figure in the prose (a decimal, a percentage, a fold change,
# a count of months, milligrams or patients, either side of a fraction) that no entry accounts for; the test requires
# none, so a figure that derives from data cannot be typed by hand unnoticed.
#
# :func:`fill_numbers` writes them (and turns any ``{glue:text}`name:format``` role into a number);
# :func:`stale_numbers` is the test that prose and data agree. A number is matched whole (``7`` never
# matches inside ``17`` or ``7.5``) and never inside a citation (``Shaw et al. [2019]``).
_GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`(?P<key>[^`]+)`")
# Text a number must not be found in: citation roles and citation links (see ros1alk.citations).
_NOT_NUMBERS = re.compile(r"\{cite(?::[a-z]+)?\}`[^`]*`|\[[^\]]*\]\(bibliography\.md#[^)]*\)")
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def glued_values(nb) -> dict[str, str]:
    """name -> stored text/plain of every ``glue(...)`` record in the notebook's outputs."""
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = out.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                values[name] = "".join(text) if isinstance(text, list) else text
    return values


def format_glued(key: str, values: dict[str, str]) -> str:
    """``'pool_trials_est:.1f'`` -> ``'70.4'``, formatted from the stored record as myst-nb would."""
    name, _, spec = key.partition(":")
    if name not in values:
        raise KeyError(f"no glue(...) record named {name!r} in the notebook's outputs")
    raw = values[name]
    if not spec:
        return raw.strip("'\"")
    return format(float(raw), spec)


_TABLES: dict[Path, dict[str, dict[str, dict[str, str]]]] = {}


def data_value(key: str, data_dir: str | Path | None = None) -> str:
    """``'outcomes:OUT-131:value'`` -> the cell as ``data/outcomes.csv`` stores it (``...:value:.0f`` formats it)."""
    import csv

    parts = key.split(":")
    if len(parts) not in (3, 4):
        raise KeyError(f"{key!r}: expected table:id:field or table:id:field:format")
    table, row_id, field = parts[:3]
    folder = Path(data_dir) if data_dir else DATA_DIR
    tables = _TABLES.setdefault(folder, {})
    if table not in tables:
        path = folder / f"{table}.csv"
        if not path.exists():
            raise KeyError(f"{key!r}: no table data/{table}.csv")
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            first = reader.fieldnames[0]
            tables[table] = {row[first]: row for row in reader}
    rows = tables[table]
    if row_id not in rows:
        raise KeyError(f"{key!r}: no row {row_id} in data/{table}.csv")
    if field not in rows[row_id]:
        raise KeyError(f"{key!r}: no column {field} in data/{table}.csv")
    value = rows[row_id][field]
    if value == "":
        raise KeyError(f"{key!r}: the cell is empty")
    return format(float(value), parts[3]) if len(parts) == 4 else value


LITERAL = {
    "not-in-data": "a figure from a cited source that no table in data/ holds",
    "printed": "a wrong figure as a source printed it, quoted next to its correction",
    "example": "a worked illustration or a hypothetical, not a clinical result",
    "definition": "part of a definition, a threshold or a method (a cut-off, a dose step, an IC50 band)",
    "structure": "about the book or its tools (a software version, a count of the book's own rows or pages)",
}


def entry_value(entry: dict, values: dict[str, str]) -> str:
    """The current text of one ``ros1alk.numbers`` entry (a glued value, a data cell or a literal)."""
    if "literal" in entry:
        if entry["literal"] not in LITERAL:
            raise KeyError(f"literal {entry['text']!r}: reason {entry['literal']!r} is not one of {sorted(LITERAL)}")
        return entry["text"]
    if "glue" in entry:
        return format_glued(entry["glue"], values)
    if "data" in entry:
        return data_value(entry["data"])
    raise KeyError(f"entry {entry!r} names neither a glue record nor a data cell")


def _source_of(entry: dict) -> str:
    return entry.get("glue") or entry.get("data") or (f"literal ({entry['literal']})" if "literal" in entry else "?")


def find_number(text: str, number: str, pos: int = 0) -> int:
    """Where ``number`` first stands as a whole number at or after ``pos`` outside citations (-1: nowhere)."""
    masked = _NOT_NUMBERS.sub(lambda m: "\0" * len(m.group(0)), text)
    pattern = re.compile(r"(?<![\w.])" + re.escape(number) + r"(?!\d|\.\d|\w)" if number[:1].isdigit()
                         else re.escape(number))
    match = pattern.search(masked, pos)
    return match.start() if match else -1


def fill_numbers(nb) -> int:
    """Write every number into its paragraph from its source; returns how many cells changed."""
    values = glued_values(nb)
    changed = 0
    for cell in nb["cells"]:
        if cell.get("cell_type") != "markdown":
            continue
        text = _source(cell)
        meta = cell.setdefault("metadata", {})
        numbers = list(meta.get("ros1alk", {}).get("numbers", []))
        before = (text, [dict(n) for n in numbers])
        # 1. update numbers already in the prose, in reading order
        pos, rebuilt = 0, []
        for entry in numbers:
            at = find_number(text, entry["text"], pos)
            if at < 0:
                raise ValueError(f"number {entry['text']!r} ({_source_of(entry)}) no longer in the cell: {text[:80]!r}")
            new = entry_value(entry, values)
            text = text[:at] + new + text[at + len(entry["text"]):]
            rebuilt.append((at, {**entry, "text": new}))
            pos = at + len(new)
        # 2. turn glue roles into numbers
        while (match := _GLUE_ROLE.search(text)) is not None:
            new = format_glued(match["key"], values)
            text = text[:match.start()] + new + text[match.end():]
            rebuilt = [(a + len(new) - (match.end() - match.start()) if a > match.start() else a, e)
                       for a, e in rebuilt]
            rebuilt.append((match.start(), {"glue": match["key"], "text": new}))
        numbers = [e for _, e in sorted(rebuilt, key=lambda t: t[0])]
        if numbers:
            meta.setdefault("ros1alk", {})["numbers"] = numbers
            cell["source"] = text
        if (text, numbers) != before:
            changed += 1
    return changed


# A clinical figure: a decimal; a number (or range) followed by % or a unit (or -fold); either side of a fraction.
_UNIT = r"(?:%|-fold\b|\s?(?:months?|mo|mg|nmol|nM|µM|weeks?|patients)\b)"
_FIGURE = re.compile(r"(?:(?<![\w.\-/])(?:\d+\.\d+|\d+(?=(?:\s?[–-]\s?\d+(?:\.\d+)?)?" + _UNIT + r")|\d+(?=/\d))"
                     r"|(?:(?<=\b\d/)|(?<=\b\d\d/)|(?<=\b\d\d\d/)|(?<=\b\d\d\d\d/))\d+)(?![\w.]\d|\w)")
_NOT_FIGURES = re.compile(r"(?<!`)`[^`\n]+`(?!`)|\]\([^)]*\)|^:[a-z-]+:.*$"
                          r"|95\s?% (?:\{term\}`)?(?:CI|confidence|Wilson|interval|credible)", re.M)


def prose_figures(text: str) -> list[tuple[int, str]]:
    """(position, text) of every clinical figure in a paragraph, outside code, link targets and citations."""
    masked = _NOT_NUMBERS.sub(lambda m: "\0" * len(m.group(0)), text)
    masked = _NOT_FIGURES.sub(lambda m: "\0" * len(m.group(0)), masked)
    return [(m.start(), m.group(0)) for m in _FIGURE.finditer(masked)]


def _placed(text: str, entries) -> list[tuple[int, dict]]:
    """Where each entry's number stands, matched in reading order (-1: not found)."""
    pos, placed = 0, []
    for entry in entries:
        at = find_number(text, entry["text"], pos)
        placed.append((at, entry))
        if at >= 0:
            pos = at + len(entry["text"])
    return placed


def _occurrence(text: str, figure: str, at: int) -> int:
    """Which whole-number match of ``figure`` in ``text`` (1-based) stands at ``at``."""
    n, pos = 0, 0
    while 0 <= (found := find_number(text, figure, pos)) <= at:
        n, pos = n + 1, found + len(figure)
    return n


def _unsourced(nb):
    """(cell index, position, figure) of every clinical figure no ``ros1alk.numbers`` entry accounts for."""
    for i, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "markdown":
            continue
        text = _source(cell)
        covered = {at for at, _ in _placed(text, cell.get("metadata", {}).get("ros1alk", {}).get("numbers", []))}
        for at, figure in prose_figures(text):
            if at not in covered:
                yield i, at, figure


def unsourced_figures(nb) -> list[tuple[int, str, str]]:
    """(cell index, figure, context) for every clinical figure no ``ros1alk.numbers`` entry accounts for."""
    out = []
    for i, at, figure in _unsourced(nb):
        text = _source(nb["cells"][i])
        out.append((i, figure, text[max(0, at - 60):at + len(figure) + 30].replace("\n", " ")))
    return out


def add_sources(nb, sources) -> list[str]:
    """Record where prose figures come from. Each source is a dict with ``cell`` (index or cell id), ``text``
    (the figure as printed), optional ``occurrence`` (1-based, among the cell's whole-number matches of
    ``text``) and one of ``data``, ``glue`` or ``literal``. Returns problems; the notebook is changed only
    when there are none (a data cell that disagrees with the prose is a problem, never rewritten silently)."""
    values, problems, staged = glued_values(nb), [], {}
    ids = {c.get("id"): i for i, c in enumerate(nb["cells"])}
    for src in sources:
        i = src["cell"] if isinstance(src["cell"], int) else ids.get(src["cell"], -1)
        if not 0 <= i < len(nb["cells"]) or nb["cells"][i].get("cell_type") != "markdown":
            problems.append(f"{src}: no markdown cell {src['cell']!r}")
            continue
        text = _source(nb["cells"][i])
        at, pos = -1, 0
        for _ in range(int(src.get("occurrence", 1))):
            at = find_number(text, src["text"], pos)
            if at < 0:
                break
            pos = at + len(src["text"])
        entry = {k: src[k] for k in ("glue", "data", "literal") if k in src}
        entry["text"] = src["text"]
        if at < 0 or len(entry) != 2:
            problems.append(f"cell {i}: {src['text']!r} not found, or not exactly one of data/glue/literal")
            continue
        try:
            value = entry_value(entry, values)
        except KeyError as exc:
            problems.append(f"cell {i}: {exc}")
            continue
        if value != src["text"]:
            problems.append(f"cell {i}: prose says {src['text']} but {_source_of(entry)} is {value}")
            continue
        staged.setdefault(i, []).append((at, entry))
    placed = {}
    for i, new in staged.items():
        cell = nb["cells"][i]
        old = _placed(_source(cell), cell.get("metadata", {}).get("ros1alk", {}).get("numbers", []))
        taken = [at for at, _ in old + new]
        problems += [f"cell {i}: {e['text']!r} at {at} already has a source" for at, e in new if taken.count(at) > 1]
        placed[i] = old + new
    if problems:
        return problems
    for i, entries in placed.items():
        meta = nb["cells"][i].setdefault("metadata", {}).setdefault("ros1alk", {})
        meta["numbers"] = [e for _, e in sorted(entries, key=lambda t: t[0])]
    return problems


def stale_numbers(nb) -> list[str]:
    """Problems that make prose and data disagree (empty list: every number is current)."""
    values = glued_values(nb)
    problems = []
    for i, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "markdown":
            continue
        text = _source(cell)
        if _GLUE_ROLE.search(text):
            problems.append(f"cell {i}: a glue role JupyterLab cannot show; run `python -m ros1alk.notebooks sync`")
        pos = 0
        for entry in cell.get("metadata", {}).get("ros1alk", {}).get("numbers", []):
            try:
                current = entry_value(entry, values)
            except KeyError as exc:
                problems.append(f"cell {i}: {exc}")
                continue
            at = find_number(text, entry["text"], pos)
            if at < 0:
                problems.append(f"cell {i}: {_source_of(entry)} = {entry['text']!r} is not in the paragraph")
            elif current != entry["text"]:
                problems.append(f"cell {i}: prose says {entry['text']} but {_source_of(entry)} is now {current}")
            else:
                pos = at + len(entry["text"])
    return problems


def sync_notebook(nb) -> int:
    """Everything a refreshed notebook needs for JupyterLab: solution first lines, citations as readable
    links (``ros1alk.citations``), numbers, fold metadata."""
    return mark_solution_cells(nb) + fill_citations(nb) + fill_numbers(nb) + sync_folding(nb)


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(nb: dict, path: Path) -> None:
    """Save as nbformat does (and as ``make refresh`` does), so a rewritten file does not churn."""
    import nbformat

    text = nbformat.writes(nbformat.from_dict(nb))
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def text_pair(path: Path) -> Path:
    """``chapters/NAME.ipynb`` -> ``text/NAME.md``, its jupytext pair (MyST Markdown, no outputs)."""
    return path.resolve().parent.parent / "text" / f"{path.stem}.md"


def write_text_pair(nb, path: Path) -> None:
    """Write the notebook's text pair as ``make refresh`` does (only if it changed)."""
    import jupytext
    import nbformat

    node = nbformat.reads(nbformat.writes(nbformat.from_dict(nb)), as_version=4)  # sources as strings
    text = jupytext.writes(node, fmt="md:myst")
    target = text_pair(path)
    target.parent.mkdir(exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def sync_files(paths) -> int:
    """Rewrite the fold metadata of each notebook that needs it; returns how many files changed."""
    changed_files = 0
    for path in map(Path, paths):
        nb = _read(path)
        if sync_notebook(nb):
            _write(nb, path)
            changed_files += 1
    return changed_files


def write_teaching_sets(outdir, paths) -> list[Path]:
    """Write ``outdir/learner`` (no solutions) and ``outdir/instructor`` (solutions, folded)."""
    import shutil

    outdir = Path(outdir)
    written = []
    for kind, make in (("learner", learner_notebook), ("instructor", instructor_notebook)):
        target = outdir / kind
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for path in map(Path, paths):
            _write(make(_read(path)), target / path.name)
            written.append(target / path.name)
            images = path.parent / "images"
            if images.is_dir() and not (target / "images").exists():
                shutil.copytree(images, target / "images")
    return written


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sync"] and len(argv) > 1:
        n = sync_files(argv[1:])
        print(f"numbers or fold metadata updated in {n} notebook(s)")
        return 0
    if argv[:1] == ["figures"] and len(argv) > 1:
        # One JSON object per line: a skeleton for `source` (add "data", "glue" or "literal"; "context" is ignored).
        total = 0
        for path in argv[1:]:
            nb = _read(Path(path))
            for (i, at, figure), (_, _, context) in zip(_unsourced(nb), unsourced_figures(nb)):
                text = _source(nb["cells"][i])
                print(json.dumps({"path": path, "cell": nb["cells"][i].get("id", i), "text": figure,
                                  "occurrence": _occurrence(text, figure, at), "context": context},
                                 ensure_ascii=False))
                total += 1
        print(f"{total} figure(s) without a source", file=sys.stderr)
        return 1 if total else 0
    if argv[:1] == ["source"] and len(argv) == 3:
        path = Path(argv[1])
        nb = _read(path)
        problems = add_sources(nb, json.loads(Path(argv[2]).read_text(encoding="utf-8")))
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            return 1
        fill_numbers(nb)
        _write(nb, path)
        write_text_pair(nb, path)
        print(f"{path}: sources recorded; {len(unsourced_figures(nb))} figure(s) left without one")
        return 0
    if argv[:1] == ["learner"] and len(argv) > 2:
        written = write_teaching_sets(argv[1], argv[2:])
        print(f"wrote {len(written)} notebooks to {argv[1]}/learner and {argv[1]}/instructor")
        return 0
    print(__doc__.split("Command line:")[1].strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
