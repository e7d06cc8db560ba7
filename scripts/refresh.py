"""Re-execute chapter notebooks so their stored outputs match the code, deterministically.

    python scripts/refresh.py                      # every chapter (what `make refresh` runs)
    python scripts/refresh.py chapters/05-alk-trials.ipynb
    python scripts/refresh.py --check chapters/00-how-this-book-works.ipynb   # re-run, compare, write nothing

For each notebook:

1. **Sync the pair.** Each chapter ``chapters/NAME.ipynb`` is paired (jupytext, see ``jupytext.toml``)
   with a MyST text notebook ``text/NAME.md`` that holds the same cells without outputs. If the text
   file was edited more recently, its cells replace the notebook's inputs (outputs and cell ids of
   unchanged cells are kept); this is ``jupytext --sync``.
2. **Execute** top to bottom in a fresh kernel (nbclient, ``record_timing=False``: no timestamps).
3. **Normalise**: drop the per-cell ``execution`` timing metadata that older tools wrote, give any
   cell without an id a stable one (derived from the notebook name and the cell's position), let
   ``ros1alk.notebooks.sync_notebook`` write citations as links, numbers in prose and JupyterLab's
   folding metadata.
   Chart element ids are already deterministic (``ros1alk.charts.chart_id``).
4. **Write** the notebook and then its text pair, so the two always agree.

Run twice on an unchanged tree, the second run changes no byte.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import nbformat
from jupytext.cli import jupytext as jupytext_cli
from nbclient import NotebookClient

from ros1alk.notebooks import sync_notebook, text_pair, write_text_pair

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = REPO / "chapters"
TIMEOUT = 600


def sync_pair(notebook: Path) -> None:
    """jupytext --sync: bring the older of the pair up to date with the newer (creating the text file)."""
    if not text_pair(notebook).exists():
        write_text_pair(nbformat.read(notebook, as_version=4), notebook)
        return
    jupytext_cli(["--sync", "--quiet", str(notebook)])


def stable_id(notebook: Path, index: int, cell) -> str:
    seed = f"{notebook.stem}:{index}:{cell['cell_type']}:{''.join(cell['source'])}"
    return hashlib.sha256(seed.encode()).hexdigest()[:8]


def normalise(nb: nbformat.NotebookNode, notebook: Path) -> nbformat.NotebookNode:
    seen = set()
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if not cell.get("id") or cell["id"] in seen:
            cell["id"] = stable_id(notebook, i, cell)
        seen.add(cell["id"])
    sync_notebook(nb)   # solution first lines, citations as links, numbers in prose, folding metadata
    return nb


def execute(notebook: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    return normalise(nb, notebook)


def refresh(notebook: Path, check: bool = False) -> bool:
    """Re-run one notebook; return True if the stored notebook (and its text pair) already matched."""
    if not check:
        sync_pair(notebook)
    before = notebook.read_text(encoding="utf-8")
    nb = execute(notebook)
    after = nbformat.writes(nb)
    after += "" if after.endswith("\n") else "\n"      # as nbformat.write() saves it
    same = after == before
    if not check:
        if not same:
            notebook.write_text(after, encoding="utf-8")
        write_text_pair(nb, notebook)
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapters/*.ipynb")
    parser.add_argument("--check", action="store_true", help="re-execute and compare; write nothing")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted(CHAPTERS.glob("*.ipynb"))
    changed = []
    for notebook in notebooks:
        print(f"{'checking' if args.check else 'refreshing'} {notebook.relative_to(REPO)}", flush=True)
        if not refresh(notebook, check=args.check):
            changed.append(notebook.name)
    if changed:
        print(("differ from a fresh run: " if args.check else "rewritten: ") + ", ".join(changed))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
