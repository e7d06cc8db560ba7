"""The chapters in Binder's JupyterLab, in a real browser (slow: about 5 minutes; marker ``jupyterlab``).

The stack is Binder's: repo2docker's base environment (JupyterLab 4.4.9, notebook 7.4.7, jupyter_server
2.17.0; ``tests/fixtures/repo2docker-base.txt``), then ``pip install -r requirements.txt`` on top, in a
brand-new virtual environment. JupyterLab is started from it on 127.0.0.1 and every chapter is opened in
Debian's headless chromium: the rendered markdown must hold no raw MyST (roles, directive fences, options,
glue placeholders), solutions must be closed, and Run All must finish with no failing cell.
Screenshots of chapter 04 go to ``_build/jupyterlab/`` for a human to compare with the site.

The fast loop is ``pytest -m "not jupyterlab"``; ``make test`` runs everything, this file included.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import pytest
from conftest import REPO

from ros1alk.citations import LINK

pytestmark = pytest.mark.jupyterlab

NOTEBOOKS = sorted((REPO / "chapters").glob("*.ipynb"))
SHOTS = REPO / "_build" / "jupyterlab"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# What MyST looks like when it is NOT rendered: a role, a directive fence or option, a glue placeholder.
RAW_MYST = {
    "role": re.compile(r"\{[a-z][a-z0-9:-]*\}`"),
    "directive": re.compile(r"`{3}|:{3}\{|\{(exercise|solution-start|solution-end|admonition|note|figure)\}"),
    "option": re.compile(r"^\s*:(label|class|name|tags):", re.M),
    "glue placeholder": re.compile(r"\b[a-z_0-9]+:\.\d+[fe%]"),
    "unresolved citation": re.compile(r"⚠"),
}
SETTINGS = {
    # Render every cell (no virtual scrolling), so the whole chapter can be read at once.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # No "news" pop-up over the page (and no request to the internet).
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)


def test_repo2docker_picks_python_311_and_the_requirements(tmp_path):
    """What mybinder.org will build: `jupyter-repo2docker --no-build` prints the Dockerfile it would use."""
    r2d = shutil.which("jupyter-repo2docker", path=os.path.dirname(sys.executable))
    assert r2d, "jupyter-repo2docker is missing: pip install -r requirements-test.txt"
    out = run([r2d, "--no-build", "--debug", REPO], cwd=tmp_path, timeout=300)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-3000:]
    assert "python=3.11" in log, "repo2docker does not pick Python 3.11 (runtime.txt)"
    assert 'pip install --no-cache-dir -r "requirements.txt"' in log, "repo2docker does not install requirements.txt"
    assert "src/requirements.txt" in log


@pytest.fixture(scope="module")
def binder_stack(tmp_path_factory):
    # ROS1ALK_BINDER_ENV=/path/to/venv re-uses a stack built earlier (installs are then skipped, not the checks).
    reuse = os.environ.get("ROS1ALK_BINDER_ENV")
    env_dir = Path(reuse) if reuse else tmp_path_factory.mktemp("binder") / "venv"
    if not reuse:
        venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    stack = [REPO / "tests" / "fixtures" / "repo2docker-base.txt", REPO / "requirements.txt"]
    for req in [] if reuse else stack:
        step = run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", req], cwd=REPO)
        assert step.returncode == 0, f"pip install -r {req.name} failed:\n{step.stderr[-3000:]}"
    check = run([py, "-m", "pip", "check"], cwd=REPO)
    assert check.returncode == 0, check.stdout
    versions = run([py, "-c", "import jupyterlab, notebook, jupyter_server, jupyterlab_myst as m; "
                    "print(jupyterlab.__version__, notebook.__version__, jupyter_server.__version__)"])
    assert versions.stdout.split() == ["4.4.9", "7.4.7", "2.17.0"], versions.stdout + versions.stderr
    return env_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(binder_stack, tmp_path_factory):
    """JupyterLab from the Binder stack, serving a copy of chapters/ (Run All must not touch the repository)."""
    root = tmp_path_factory.mktemp("lab")
    book = root / "chapters"
    shutil.copytree(REPO / "chapters", book, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = root / "settings"
    for name, value in SETTINGS.items():
        target = settings / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PATH=f"{binder_stack / 'bin'}{os.pathsep}{env.get('PATH', '')}",
               JUPYTER_CONFIG_DIR=str(root / "config"), JUPYTER_DATA_DIR=str(root / "data"),
               JUPYTER_RUNTIME_DIR=str(root / "runtime"))
    port, token = free_port(), "ros1alk-test"
    log = open(root / "lab.log", "w")
    server = subprocess.Popen(
        [str(binder_stack / "bin" / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={root / 'workspaces'}"],
        cwd=book, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError("JupyterLab did not start:\n" + (root / "lab.log").read_text()[-3000:]) from None
            time.sleep(0.5)
    yield url, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
    assert "jupyterlab_myst | extension was successfully loaded" in (root / "lab.log").read_text()


def open_chapter(page, lab, path):
    url, token = lab
    nb = json.loads(path.read_text(encoding="utf-8"))
    # JupyterLab renders a folded markdown cell only once it is unfolded.
    n_markdown = sum(c["cell_type"] == "markdown" and not c["metadata"].get("jupyter", {}).get("source_hidden")
                     for c in nb["cells"])
    page.goto(f"{url}/lab/tree/{path.name}?reset&token={token}", wait_until="load")
    page.wait_for_function(
        "([panel, n]) => document.querySelectorAll(panel + ' .jp-MarkdownCell.jp-mod-rendered .myst').length === n",
        arg=[PANEL, n_markdown], timeout=90000)
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90000,
                           state="attached")
    return nb


def scroll_to(page, text):
    page.evaluate("""([panel, text]) => {
        const cell = [...document.querySelectorAll(panel + ' .jp-Cell')].find(c => c.textContent.includes(text));
        cell.scrollIntoView({block: 'start'}); }""", [PANEL, text])
    time.sleep(0.5)


def menu(page, name, command):
    page.locator(".lm-MenuBar-item", has_text=name).first.click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').click()


def unfold_markdown(page, nb):
    """Click every folded markdown cell open (solution prose) and wait until all are rendered."""
    folded = page.locator(f"{PANEL} .jp-MarkdownCell .jp-InputPlaceholder")
    for _ in range(folded.count()):
        folded.first.click()
    n_markdown = sum(c["cell_type"] == "markdown" for c in nb["cells"])
    page.wait_for_function(
        "([panel, n]) => document.querySelectorAll(panel + ' .jp-MarkdownCell.jp-mod-rendered .myst').length === n",
        arg=[PANEL, n_markdown], timeout=30000)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_chapter_reads_like_the_site_and_runs_in_jupyterlab(page, lab, path):
    nb = open_chapter(page, lab, path)
    if path.name.startswith("04-"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "04-top.png"))
        scroll_to(page, "Exercise 1")
        page.screenshot(path=str(SHOTS / "04-exercise.png"))
        scroll_to(page, "The five trials pool to")
        page.screenshot(path=str(SHOTS / "04-pooled-result.png"))
        scroll_to(page, "The first report of PROFILE 1001")
        page.screenshot(path=str(SHOTS / "04-citations.png"))
        page.set_viewport_size({"width": 390, "height": 844})   # Binder on a phone, file browser closed
        open_tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if open_tab.count():
            open_tab.first.click()
        scroll_to(page, "The first report of PROFILE 1001")
        page.screenshot(path=str(SHOTS / "04-citations-390.png"))
        page.set_viewport_size({"width": 1280, "height": 900})
    solutions = page.evaluate("panel => [...document.querySelectorAll(panel + ' details')]"
                              ".filter(d => /Solution/.test(d.textContent)).map(d => d.open)", PANEL)
    assert all(o is False for o in solutions), f"{path.name}: a solution is open"

    unfold_markdown(page, nb)
    texts = page.evaluate(
        "panel => [...document.querySelectorAll(panel + ' .jp-MarkdownCell .myst')].map(e => e.textContent)", PANEL)
    raw = [f"{kind}: ...{t[max(0, m.start() - 40):m.end() + 40]}..."
           for t in texts for kind, rx in RAW_MYST.items() for m in [rx.search(t)] if m]
    assert not raw, f"{path.name}: raw MyST in JupyterLab:\n" + "\n".join(raw[:10])
    # Citations are links that read "Shaw et al. (2019)" (ros1alk.citations), not jupyterlab-myst's <cite> warnings.
    cites = page.evaluate("panel => document.querySelectorAll(panel + ' .jp-MarkdownCell .myst cite').length", PANEL)
    assert cites == 0, f"{path.name}: {cites} citation(s) JupyterLab cannot resolve"
    wanted = [m["text"] for c in nb["cells"] if c["cell_type"] == "markdown"
              for m in LINK.finditer("".join(c["source"]))]
    shown = page.evaluate("panel => [...document.querySelectorAll(panel + ' .jp-MarkdownCell .myst a')]"
                          ".map(a => a.textContent.replace(/\u2019/g, \"'\"))", PANEL)  # MyST's smart quotes
    missing = [t for t in wanted if t not in shown]
    assert not missing, f"{path.name}: citations not shown as links: {missing[:5]}"

    exercises = sum("".join(c["source"]).count("{exercise}") for c in nb["cells"])
    rendered = page.evaluate("panel => [...document.querySelectorAll(panel + ' .myst-exercise-header')]"
                             ".filter(h => /^\\s*Exercise\\s/.test(h.textContent)).length", PANEL)
    assert rendered == exercises, f"{path.name}: {rendered} of {exercises} exercises rendered"
    if exercises:
        assert solutions, f"{path.name}: solutions are not dropdowns"

    # Unfold every code cell and output (JupyterLab builds a folded cell's prompt and outputs only once it is
    # unfolded), then clear the stored outputs, so that every execution count seen afterwards is this run's.
    menu(page, "View", "notebook:show-all-cell-code")
    menu(page, "View", "notebook:show-all-cell-outputs")
    menu(page, "Edit", "editmenu:clear-all")
    page.wait_for_function("panel => ![...document.querySelectorAll(panel + ' .jp-CodeCell .jp-InputArea-prompt')]"
                           ".some(p => /\\d/.test(p.textContent))", arg=PANEL, timeout=30000)
    menu(page, "Run", "runmenu:run-all")
    n_code = sum(c["cell_type"] == "code" and "".join(c["source"]).strip() != "" for c in nb["cells"])
    # Done when every code cell shows an execution count and none is still queued ([*]).
    page.wait_for_function("""([panel, n]) => {
        // .jp-InputArea-prompt: the real prompt (a folded cell's placeholder has an empty one).
        const all = [...document.querySelectorAll(panel + ' .jp-CodeCell .jp-InputArea-prompt')];
        const prompts = all.map(p => p.textContent.trim()).filter(t => /^\\[\\d+\\]:$/.test(t));
        const busy = all.some(p => p.textContent.includes('*'));
        return !busy && prompts.length >= n;
    }""", arg=[PANEL, n_code], timeout=300000, polling=1000)
    errors = page.evaluate("""panel => [...document.querySelectorAll(
        panel + ' .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(e => e.textContent).filter(t => t.includes('Traceback'))""", PANEL)
    assert not errors, f"{path.name}: a cell failed in JupyterLab:\n{errors[0][-2000:]}"
    shut_down_kernels(lab)


def shut_down_kernels(lab):
    url, token = lab
    with urllib.request.urlopen(f"{url}/api/kernels?token={token}", timeout=10) as r:
        kernels = json.load(r)
    for kernel in kernels:
        req = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(req, timeout=30).close()
