"""Benchmark (not a test): `make bench` writes bench/report.md and bench/report.json.

Figures: clean-build seconds, no-change rebuild seconds, nbval seconds per notebook next to the floor
(one bare kernel start, run and shutdown), HTML bytes per page, JS/CSS bytes a first visit loads, and
milliseconds from navigation to the first chart painted in headless chromium on loopback.
Budgets (from the platform issue) are printed beside each figure; the script never fails on them.

Lighthouse (npm lighthouse@12.2.3, installed by `make bench` into bench/lighthouse, Debian's chromium via
CHROME_PATH), mobile preset (its default: simulated slow 4G and a 4x slower CPU), on the landing page
and every chapter of the site served gzipped on 127.0.0.1 as a static host serves it, next to a default
`jupyter-book create` book built in the same run. Each page is measured LIGHTHOUSE_RUNS times (default
3) and the run with the median performance score is reported.

`python scripts/bench.py --lighthouse-only [SITE_DIR]` runs the Lighthouse part alone.
`LIGHTHOUSE_PAGES=chapters/07-resistance.html,intro.html` measures only those pages (and skips the default-book
baseline), for checking one change quickly; with --lighthouse-only it writes bench/lighthouse-subset.md.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SITE = REPO / "_build" / "html"
OUT = REPO / "bench"
sys.path.insert(0, str(REPO / "tests"))


def timed(cmd, **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def build_times() -> tuple[float, float]:
    jb = str(VENV_BIN / "jupyter-book")
    shutil.rmtree(REPO / "_build", ignore_errors=True)
    clean = timed([jb, "build", ".", "-W", "-n", "--keep-going"])
    rebuild = timed([jb, "build", ".", "-W", "-n", "--keep-going"])
    return clean, rebuild


def kernel_floor(repeats: int = 3) -> float:
    import nbformat
    from nbclient import NotebookClient

    times = []
    for _ in range(repeats):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
        start = time.perf_counter()
        NotebookClient(nb, kernel_name="python3").execute()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def nbval_times() -> dict[str, float]:
    result = {}
    for nb in sorted((REPO / "chapters").glob("*.ipynb")):
        result[nb.name] = timed([str(VENV_BIN / "pytest"), "-q", "-p", "no:cacheprovider",
                                 f"chapters/{nb.name}"])
    return result


def pytest_overhead() -> float:
    empty = REPO / "bench" / "_empty_test.py"
    empty.write_text("def test_nothing():\n    pass\n")
    try:
        return timed([str(VENV_BIN / "pytest"), "-q", "-p", "no:cacheprovider", "-o", "addopts=", str(empty)])
    finally:
        empty.unlink()


def page_sizes() -> dict[str, int]:
    sizes = {}
    for page in sorted(SITE.rglob("*.html")):
        rel = page.relative_to(SITE).as_posix()
        if rel.split("/")[0] in {"_static", "_sources", "_images"}:
            continue
        sizes[rel] = page.stat().st_size
    return sizes


def browser_figures() -> dict:
    from conftest import CHROMIUM_ARGS, chromium_path, serve
    from playwright.sync_api import sync_playwright

    stack = contextlib.ExitStack()
    base = stack.enter_context(serve(SITE))
    chart_page = "chapters/00-how-this-book-works.html"
    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        # JS/CSS a first visit loads (fresh context = empty cache), on the landing page and a chart page.
        for label, path in [("landing", "intro.html"), ("chart_page", chart_page)]:
            ctx = browser.new_context()
            page = ctx.new_page()
            page.goto(f"{base}/{path}", wait_until="networkidle")
            # Sizes of every script and stylesheet the visit loaded, from the Resource Timing API.
            sizes = page.evaluate("""() => {
                const out = {js: 0, css: 0};
                for (const e of performance.getEntriesByType('resource')) {
                    const url = e.name.split('?')[0];
                    if (url.endsWith('.js')) out.js += e.decodedBodySize;
                    else if (url.endsWith('.css')) out.css += e.decodedBodySize;
                }
                return out;
            }""")
            out[f"first_visit_bytes_{label}"] = sizes
            ctx.close()
        paints = []
        for _ in range(5):
            ctx = browser.new_context()
            page = ctx.new_page()
            page.goto(f"{base}/{chart_page}", wait_until="commit")
            # Charts draw as they near the viewport: bring the first one into view as soon as it exists.
            page.wait_for_selector("div[id^='altair-viz-']", state="attached", timeout=15000)
            page.evaluate("document.querySelector(\"div[id^='altair-viz-']\").scrollIntoView()")
            page.wait_for_selector("div[id^='altair-viz-'] svg", timeout=15000)
            paints.append(page.evaluate("performance.now()"))
            ctx.close()
        out["first_chart_ms_runs"] = [round(p) for p in paints]
        out["first_chart_ms_median"] = round(statistics.median(paints))
        browser.close()
    stack.close()
    return out


# ------------------------------------------------------------------------------------ Lighthouse

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE = OUT / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def gzip_server(directory: Path):
    """The directory served as a static host serves it (gzip, cache headers), as the page-weight tests do."""
    from conftest import GzipStaticHandler, serve

    return serve(directory, GzipStaticHandler)


def lighthouse_once(url: str) -> dict:
    from conftest import chromium_path

    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make bench` (it installs lighthouse@{LIGHTHOUSE_VERSION})")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lh.json"
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
             "--only-categories=performance,accessibility,best-practices",
             f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}"],
            env={**os.environ, "CHROME_PATH": chromium_path()}, check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lhr = json.loads(out.read_text())
    audits, cats = lhr["audits"], lhr["categories"]
    host = urlparse(url).netloc
    requests = audits["network-requests"]["details"]["items"]
    return {
        "performance": round(100 * cats["performance"]["score"]),
        "accessibility": round(100 * cats["accessibility"]["score"]),
        "best_practices": round(100 * cats["best-practices"]["score"]),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "speed_index_ms": round(audits["speed-index"]["numericValue"]),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "requests": len(requests),
        "dom_elements": round(audits["dom-size"]["numericValue"]),
        "console_errors": len(audits["errors-in-console"].get("details", {}).get("items", [])),
        "off_host_requests": sum(1 for r in requests
                                 if urlparse(r["url"]).netloc not in (host, "") and not
                                 r["url"].startswith(("data:", "blob:"))),
    }


def lighthouse_page(url: str, runs: int) -> dict:
    results = sorted((lighthouse_once(url) for _ in range(runs)), key=lambda r: r["performance"])
    median = dict(results[len(results) // 2])
    median["performance_runs"] = [r["performance"] for r in results]
    return median


def lighthouse_pages(site: Path) -> list[str]:
    if os.environ.get("LIGHTHOUSE_PAGES"):
        return [p.strip() for p in os.environ["LIGHTHOUSE_PAGES"].split(",") if p.strip()]
    pages = ["intro.html"]
    pages += [p.relative_to(site).as_posix() for p in sorted((site / "chapters").glob("*.html"))]
    return pages


def default_book_site() -> Path:
    """A default `jupyter-book create` book, built now with the same jupyter-book: the baseline."""
    jb = str(VENV_BIN / "jupyter-book")
    root = Path(tempfile.mkdtemp(prefix="jb-default-"))
    subprocess.run([jb, "create", str(root / "book")], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([jb, "build", str(root / "book")], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return root / "book" / "_build" / "html"


def lighthouse_figures(site: Path = SITE, runs: int | None = None) -> dict:
    runs = runs or int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
    out: dict = {"lighthouse_version": LIGHTHOUSE_VERSION, "runs_per_page": runs, "pages": {}, "baseline": {}}
    with gzip_server(site) as base:
        for page in lighthouse_pages(site):
            out["pages"][page] = lighthouse_page(f"{base}/{page}", runs)
            print(f"lighthouse {page}: {out['pages'][page]}", file=sys.stderr)
    if os.environ.get("LIGHTHOUSE_PAGES"):
        return out
    default = default_book_site()
    with gzip_server(default) as base:
        for page in ("intro.html", "markdown-notebooks.html"):
            out["baseline"][page] = lighthouse_page(f"{base}/{page}", runs)
            print(f"lighthouse baseline {page}: {out['baseline'][page]}", file=sys.stderr)
    shutil.rmtree(default.parent.parent.parent, ignore_errors=True)
    return out


def lighthouse_lines(lh: dict) -> list[str]:
    def row(name, r):
        return (f"| {name} | {r['performance']} ({'/'.join(map(str, r['performance_runs']))}) | "
                f"{r['accessibility']} | {r['best_practices']} | {r['tbt_ms']:,} | {r['lcp_ms']:,} | "
                f"{r['fcp_ms']:,} | {r['cls']} | {r['bytes']:,} | {r['dom_elements']:,} | "
                f"{r['console_errors']} | {r['off_host_requests']} |")

    pages = lh["pages"]
    worst = min(r["performance"] for r in pages.values())
    return [
        "", f"## Lighthouse {lh['lighthouse_version']}, mobile preset (site served gzipped on 127.0.0.1)", "",
        f"Median of {lh['runs_per_page']} runs per page (all runs' performance scores in brackets). "
        f"Lowest page: {worst} (target 90: {'met' if worst >= 90 else 'MISSED'}).", "",
        "| page | performance | accessibility | best practices | TBT ms | LCP ms | FCP ms | CLS | bytes | "
        "DOM elements | console errors | off-host requests |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *[row(k, v) for k, v in pages.items()],
        *[row(f"baseline: default `jupyter-book create`, {k}", v) for k, v in lh["baseline"].items()],
    ]


def main() -> int:
    if "--lighthouse-only" in sys.argv:
        args = [a for a in sys.argv[1:] if not a.startswith("--")]
        site = Path(args[0]) if args else SITE
        lh = lighthouse_figures(site)
        OUT.mkdir(exist_ok=True)
        name = "lighthouse-subset" if os.environ.get("LIGHTHOUSE_PAGES") else "lighthouse"
        (OUT / f"{name}.json").write_text(json.dumps(lh, indent=2) + "\n")
        (OUT / f"{name}.md").write_text("# Lighthouse report\n" + "\n".join(lighthouse_lines(lh)) + "\n")
        print("\n".join(lighthouse_lines(lh)))
        return 0
    OUT.mkdir(exist_ok=True)
    clean, rebuild = build_times()
    floor = kernel_floor()
    overhead = pytest_overhead()
    nbval = nbval_times()
    sizes = page_sizes()
    web = browser_figures()
    lighthouse = lighthouse_figures()
    n = len(nbval)
    nbval_total = sum(nbval.values())
    report = {
        "clean_build_s": round(clean, 2),
        "no_change_rebuild_s": round(rebuild, 2),
        "kernel_floor_s": round(floor, 2),
        "pytest_startup_s": round(overhead, 2),
        "nbval_s_per_notebook": {k: round(v, 2) for k, v in nbval.items()},
        "nbval_total_s": round(nbval_total, 2),
        "nbval_budget_s": round(1.5 * n * floor, 2),
        "html_bytes_per_page": sizes,
        **web,
        "lighthouse": lighthouse,
    }
    (OUT / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    chapters = {k: v for k, v in sizes.items() if k.startswith("chapters/")}
    lines = [
        "# Benchmark report", "",
        f"- Clean build: {clean:.1f} s",
        f"- No-change rebuild: {rebuild:.1f} s (budget < 3 s: {'met' if rebuild < 3 else 'MISSED'})",
        f"- Bare kernel round trip (floor): {floor:.2f} s; pytest start-up alone: {overhead:.2f} s",
        f"- nbval total: {nbval_total:.1f} s for {n} notebooks (budget 1.5 x {n} x floor = {1.5 * n * floor:.1f} s: "
        f"{'met' if nbval_total <= 1.5 * n * floor else 'MISSED'})",
        "", "| notebook | nbval s | x floor |", "| --- | --- | --- |",
        *[f"| {k} | {v:.2f} | {v / floor:.1f} |" for k, v in nbval.items()],
        "", "| page | HTML bytes |", "| --- | --- |",
        *[f"| {k} | {v:,} |" for k, v in sizes.items()],
        "", f"- Largest chapter HTML: {max(chapters.values()):,} bytes (budget 200 KB: "
            f"{'met' if max(chapters.values()) < 200_000 else 'MISSED'})" if chapters else "",
        f"- First visit, landing page: {web['first_visit_bytes_landing']['js']:,} B JS, "
        f"{web['first_visit_bytes_landing']['css']:,} B CSS",
        f"- First visit, chart page: {web['first_visit_bytes_chart_page']['js']:,} B JS, "
        f"{web['first_visit_bytes_chart_page']['css']:,} B CSS",
        f"- Navigation to first chart painted: median {web['first_chart_ms_median']} ms over 5 runs "
        f"{web['first_chart_ms_runs']} (budget 1500 ms: {'met' if web['first_chart_ms_median'] <= 1500 else 'MISSED'})",
        *lighthouse_lines(lighthouse),
    ]
    (OUT / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
