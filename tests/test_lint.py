"""One linter (ruff, configured in pyproject.toml) for the package, the tests, the scripts and the chapters."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is missing: make test installs it from requirements-test.txt"
    run = subprocess.run([ruff, "check", "--no-cache", "ros1alk", "tests", "scripts", "chapters"], cwd=REPO,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
