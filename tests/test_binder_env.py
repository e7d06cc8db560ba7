"""What Binder does: a virtual environment made from requirements.txt alone runs every notebook.

This catches a package that the notebooks import but requirements.txt forgets (the test venv has more).
Installs come from the package registry; no notebook is modified.

Speed without losing the guarantee:
* The environment is built once per content of requirements.txt (and Python version) and kept in
  ~/.cache/ros1alk-binder/<hash>; any change to requirements.txt builds a new one from scratch. Only
  ``pip install -r requirements.txt`` ever writes it; each run re-checks it with ``pip check`` and
  re-points the editable install of the book's package (``-e .``) at this checkout.
* Every notebook is still executed in full on every run, two at a time (the machines have two cores).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import REPO

NOTEBOOKS = sorted((REPO / "chapters").glob("*.ipynb"))
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ros1alk-binder"
PARALLEL = 2


def _pip(py: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(py), "-m", "pip", "--disable-pip-version-check", *args],
                          cwd=REPO, capture_output=True, text=True)


def binder_env() -> Path:
    """The cached environment for this requirements.txt, built from it alone when missing."""
    key = hashlib.sha256((REPO / "requirements.txt").read_bytes()
                         + f"python{sys.version_info.major}.{sys.version_info.minor}".encode()).hexdigest()[:16]
    env_dir = CACHE / key
    done = env_dir / ".built-from-requirements"
    if not done.is_file():
        shutil.rmtree(env_dir, ignore_errors=True)  # a build that stopped half-way is never reused
        venv.EnvBuilder(with_pip=True).create(env_dir)
        install = _pip(env_dir / "bin" / "python", "install", "--quiet", "-r", "requirements.txt")
        assert install.returncode == 0, f"pip install -r requirements.txt failed:\n{install.stderr[-3000:]}"
        done.write_text("pip install -r requirements.txt\n")
    return env_dir


def _execute(env_dir: Path, env: dict, nb: Path) -> str | None:
    # Without --inplace, `jupyter execute` runs the notebook and leaves the file untouched.
    run = subprocess.run([str(env_dir / "bin" / "jupyter"), "execute", "--timeout=300", str(nb)],
                         cwd=nb.parent, capture_output=True, text=True, env=env)
    return None if run.returncode == 0 else f"{nb.name}:\n{run.stderr[-2000:]}"


def test_requirements_alone_run_every_notebook():
    assert NOTEBOOKS, "no notebooks found in chapters/"
    env_dir = binder_env()
    py = env_dir / "bin" / "python"
    # The book's package is installed editable (-e .): point it at this checkout, not the one that built the cache.
    local = _pip(py, "install", "--quiet", "--no-deps", "-e", ".")
    assert local.returncode == 0, f"pip install -e . failed:\n{local.stderr[-3000:]}"
    check = _pip(py, "check")
    assert check.returncode == 0, f"pip check found broken requirements:\n{check.stdout}"
    where = subprocess.run([str(py), "-c", "import ros1alk; print(ros1alk.__file__)"],
                           cwd="/", capture_output=True, text=True)
    assert Path(where.stdout.strip()).resolve().is_relative_to(REPO.resolve()), where.stdout + where.stderr

    env = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        failures = [f for f in pool.map(lambda nb: _execute(env_dir, env, nb), NOTEBOOKS) if f]
    assert not failures, "notebooks failed in the requirements.txt environment:\n" + "\n".join(failures)
