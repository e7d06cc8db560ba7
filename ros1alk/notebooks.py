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
``OUTDIR/learner`` and ``OUTDIR/instructor`` (``make learner``).
"""
from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

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
# Computed numbers in prose. A code cell computes a value and records it with myst-nb's ``glue(name, value,
# display=False)`` (nbval re-checks the stored record on every run). The prose holds the *formatted number
# itself*, so it reads the same on the site, in JupyterLab and in any Markdown viewer; the cell metadata
# ``ros1alk.numbers`` lists, in reading order, which glued value (``name:format``) each number is.
# :func:`fill_numbers` writes them (and turns any ``{glue:text}`name:format``` role into a number);
# :func:`stale_numbers` is the test that prose and data agree.
_GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`(?P<key>[^`]+)`")


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


def fill_numbers(nb) -> int:
    """Write every computed number into its paragraph; returns how many cells changed."""
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
            at = text.find(entry["text"], pos)
            if at < 0:
                raise ValueError(f"number {entry['text']!r} ({entry['glue']}) no longer in the cell: {text[:80]!r}")
            new = format_glued(entry["glue"], values)
            text = text[:at] + new + text[at + len(entry["text"]):]
            rebuilt.append((at, {"glue": entry["glue"], "text": new}))
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


def stale_numbers(nb) -> list[str]:
    """Problems that make prose and data disagree (empty list: every computed number is current)."""
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
                current = format_glued(entry["glue"], values)
            except KeyError as exc:
                problems.append(f"cell {i}: {exc}")
                continue
            at = text.find(entry["text"], pos)
            if at < 0:
                problems.append(f"cell {i}: {entry['glue']} = {entry['text']!r} is not in the paragraph")
            elif current != entry["text"]:
                problems.append(f"cell {i}: prose says {entry['text']} but {entry['glue']} is now {current}")
            else:
                pos = at + len(entry["text"])
    return problems


def sync_notebook(nb) -> int:
    """Everything a refreshed notebook needs for JupyterLab: solution first lines, numbers, fold metadata."""
    return mark_solution_cells(nb) + fill_numbers(nb) + sync_folding(nb)


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(nb: dict, path: Path) -> None:
    """Save as nbformat does (and as ``make refresh`` does), so a rewritten file does not churn."""
    import nbformat

    text = nbformat.writes(nbformat.from_dict(nb))
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


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
    if argv[:1] == ["learner"] and len(argv) > 2:
        written = write_teaching_sets(argv[1], argv[2:])
        print(f"wrote {len(written)} notebooks to {argv[1]}/learner and {argv[1]}/instructor")
        return 0
    print(__doc__.split("Command line:")[1].strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
