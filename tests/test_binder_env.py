"""What Binder does: a brand-new virtual environment made from requirements.txt alone runs every notebook.

This catches a package that the notebooks import but requirements.txt forgets (the test venv has more).
Installs come from the package registry (pip's cache makes repeat runs quick); no notebook is modified.
"""
from __future__ import annotations

import os
import subprocess
import venv

from conftest import REPO

NOTEBOOKS = sorted((REPO / "chapters").glob("*.ipynb"))


def test_requirements_alone_run_every_notebook(tmp_path):
    assert NOTEBOOKS, "no notebooks found in chapters/"
    env_dir = tmp_path / "binder-venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert install.returncode == 0, f"pip install -r requirements.txt failed:\n{install.stderr[-3000:]}"
    check = subprocess.run([str(py), "-m", "pip", "check"], cwd=REPO, capture_output=True, text=True)
    assert check.returncode == 0, f"pip check found broken requirements:\n{check.stdout}"

    env = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    failures = []
    for nb in NOTEBOOKS:
        # Without --inplace, `jupyter execute` runs the notebook and leaves the file untouched.
        run = subprocess.run(
            [str(env_dir / "bin" / "jupyter"), "execute", "--timeout=300", str(nb)],
            cwd=nb.parent, capture_output=True, text=True, env=env,
        )
        if run.returncode != 0:
            failures.append(f"{nb.name}:\n{run.stderr[-2000:]}")
    assert not failures, "notebooks failed in the fresh requirements.txt environment:\n" + "\n".join(failures)
