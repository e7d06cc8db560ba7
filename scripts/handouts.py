"""Print one handout PDF per teaching session from the built site, for black-and-white printers.

    python scripts/handouts.py            # what `make handouts` runs, after `make book`
    python scripts/handouts.py --site _build/html --out _build/handouts

Each handout (``session-N.pdf``) has three parts, each starting on a new page:

1. the session's learner case sheet (``chapters/teaching/case-N.md`` as built), with boxes to write in;
2. the session's key charts and tables, captured from the chapter pages exactly as the site draws them;
3. the checklist for comparing trials (audit chapter, section 7).

The facilitator keys are never printed. The site is served on 127.0.0.1 and printed with Debian's chromium
through playwright (``executable_path``); nothing is fetched from the network and no browser is downloaded.
"""
from __future__ import annotations

import argparse
import base64
import html
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHART = "div[id^='altair-viz-']"
sys.path.insert(0, str(REPO / "tests"))   # one chromium and one loopback server for tests, bench and handouts


@dataclass(frozen=True)
class Figure:
    """One chart, table or image of a chapter page: the ``index``-th ``kind`` inside section ``section``."""
    page: str
    section: str
    kind: str  # "chart", "table" or "image"
    caption: str
    index: int = 0


@dataclass(frozen=True)
class Session:
    number: int
    title: str
    figures: tuple[Figure, ...]

    @property
    def case_page(self) -> str:
        return f"chapters/teaching/case-{self.number}.html"


CH = "chapters/{}.html".format
SESSIONS = (
    Session(1, "What is a fusion, and who has one?", (
        Figure(CH("01-biology"), "who-the-partners-are", "chart",
               "Fusion partners of ROS1 and ALK, with 95% Wilson intervals (Biology, Who the partners are)."),
        Figure(CH("02-epidemiology"), "one-large-cohort-who-is-ros1-positive", "chart",
               "ROS1 rate by subgroup in the Zhang cohort; hollow points have no counts, so no interval."),
        Figure(CH("02-epidemiology"), "one-large-cohort-who-is-ros1-positive", "chart",
               "Age of ROS1-positive and ROS1-negative patients: mean and spread (Who gets these cancers).", 1),
    )),
    Session(2, "Finding the fusion", (
        Figure(CH("03-diagnostics"), "four-ways-to-look-for-a-fusion", "table",
               "What each test detects and misses (Diagnostic testing, Four ways to look for a fusion)."),
        Figure(CH("03-diagnostics"), "an-interactive-screening-calculator", "chart",
               "The screening calculator at its starting assumptions (illustrative inputs, not published figures)."),
    )),
    Session(3, "What 72% means", (
        Figure(CH("04-ros1-trials"), "the-five-prospective-crizotinib-trials", "table",
               "The five prospective crizotinib trials as the review printed them (ROS1 trials)."),
        Figure(CH("04-ros1-trials"), "every-response-rate-with-a-denominator", "chart",
               "Every crizotinib response rate with its denominator and 95% Wilson interval."),
        Figure(CH("04-ros1-trials"), "an-adjusted-comparison-crizotinib-versus-entrectinib", "chart",
               "The adjusted comparison of crizotinib and entrectinib: every interval crosses no difference."),
    )),
    Session(4, "Hazard ratios and what comes after randomisation", (
        Figure(CH("05-alk-trials"), "hazard-ratios-against-crizotinib-with-their-intervals", "chart",
               "Hazard ratios for progression against crizotinib, with their intervals (ALK trials)."),
        Figure(CH("05-alk-trials"), "try-it-choose-a-median", "chart",
               "A median is one point on a curve: the exponential curve for the chosen median."),
        Figure(CH("06-real-world-china"), "crossover-why-shen-2020-found-no-os-difference", "chart",
               "Shen 2020 patient by patient: who crossed over after first-line treatment."),
    )),
    Session(5, "Resistance and the next drug", (
        Figure(CH("07-resistance"), "fold-change-against-the-non-mutant-kinase", "table",
               "Fold changes against G2032R: the IC50 against the mutant over the IC50 against the "
               "non-mutant fusion (Resistance, Table 4 of the crizotinib review).", 1),
        Figure(CH("07-resistance"), "explore-a-genotype", "chart",
               "The genotype explorer: the drugs ranked by IC50 for one genotype."),
        Figure(CH("09-sequencing"), "the-whole-sequence-as-a-flowchart", "image",
               "The whole sequence as the reviews describe it (Treatment sequencing); not a decision aid."),
    )),
    Session(6, "Safety, interactions and reading a review critically", (
        Figure(CH("08-toxicity"), "class-warnings-which-drug-carries-which", "chart",
               "Class warnings: which drug carries which (Safety)."),
        Figure(CH("08-toxicity"), "drug-interactions-per-drug", "table",
               "Drug interactions, per drug, as the labels state them (Safety)."),
    )),
)
CHECKLIST = Figure(CH("10-audit"), "before-comparing-trials-a-checklist", "list",
                   "Audit: reading the numbers critically, section 7.")

PRINT_CSS = """
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
html { -webkit-print-color-adjust: economy; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #000;
       background: #fff; font-variant-ligatures: none; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 0 0 3mm; border-bottom: 1px solid #000; }
.part { break-before: page; }
.part:first-of-type { break-before: auto; }
a { color: #000; text-decoration: none; }
.admonition { border: 1.5px solid #000; padding: 2mm 3mm; margin: 2mm 0 3mm; }
.admonition-title { font-weight: bold; margin: 0 0 1mm; }
.answer-space { display: block; min-height: 24mm; border: 1px solid #000; margin: 1mm 0 3mm; }
figure { margin: 0 0 5mm; break-inside: avoid; }
figure img { max-width: 100%; max-height: 118mm; filter: grayscale(100%); border: 0.5px solid #777; }
figure.image img { height: 215mm; max-height: none; width: auto; max-width: 100%; }
figcaption { font-size: 9pt; margin-top: 1mm; }
table { border-collapse: collapse; font-size: 7.5pt; width: 100%; }
th, td { border: 0.5px solid #000; padding: 0.6mm 1.2mm; text-align: left; vertical-align: top; }
thead th { border-bottom: 1.5px solid #000; }
.checklist ul { list-style: none; padding-left: 2mm; }
.checklist li { margin-bottom: 2mm; }
.source { font-size: 8.5pt; }
.headerlink, .sd-hide-link-text { display: none; }
"""


# A black-and-white printer turns the book's blue and vermilion into the same grey. Before a chart is captured,
# each distinct colour in its SVG (fills and strokes with any saturation; greys are left alone) gets its own
# grey, evenly spaced in the order of the colours' lightness, so categories stay apart on paper.
GREYS_BY_COLOUR = """
root => {
  const svg = root.querySelector('svg');
  if (!svg) return 0;
  const parse = c => {
    const m = (c || '').match(/^#([0-9a-f]{6})$/i) || [];
    if (m[1]) return [0, 2, 4].map(i => parseInt(m[1].slice(i, i + 2), 16));
    const r = (c || '').match(/^rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)/);
    return r ? [r[1], r[2], r[3]].map(Number) : null;
  };
  const colourful = rgb => rgb && Math.max(...rgb) - Math.min(...rgb) > 40;
  const luminance = rgb => 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  const nodes = [...svg.querySelectorAll('[fill], [stroke], [style]')];
  const colours = new Map();
  for (const el of nodes) for (const attr of ['fill', 'stroke']) {
    const value = el.getAttribute(attr) || el.style[attr];
    const rgb = parse(value);
    if (colourful(rgb)) colours.set(value, luminance(rgb));
  }
  const ordered = [...colours.entries()].sort((a, b) => a[1] - b[1]).map(e => e[0]);
  const grey = new Map(ordered.map((c, i) => {
    const level = ordered.length === 1 ? 90 : Math.round(40 + i * (170 / (ordered.length - 1)));
    return [c, `rgb(${level},${level},${level})`];
  }));
  for (const el of nodes) for (const attr of ['fill', 'stroke']) {
    if (grey.has(el.getAttribute(attr))) el.setAttribute(attr, grey.get(el.getAttribute(attr)));
    if (grey.has(el.style[attr])) el.style[attr] = grey.get(el.style[attr]);
  }
  return ordered.length;
}
"""


def case_sheet_html(page, url: str) -> str:
    """The case sheet's article body, without the page chrome."""
    page.goto(url, wait_until="load")
    return page.locator("article.bd-article").first.inner_html()


def capture(page, base: str, fig: Figure) -> str:
    """A figure of a built chapter as HTML: a table as its own markup (crisp and searchable in the PDF), a
    chart or image as an <img> screenshot (charts are drawn by Vega first)."""
    page.goto(f"{base}/{fig.page}", wait_until="load")
    # The theme's sticky headers would otherwise cover the top of a figure scrolled into view.
    page.add_style_tag(content=".bd-header, .bd-header-article, .header-article { display: none !important; }")
    section = f"section#{fig.section}"
    selector = {"chart": CHART, "table": "table", "image": "img, svg"}[fig.kind]
    target = page.locator(section).first.locator(selector).nth(fig.index)
    if target.count() == 0:
        raise SystemExit(f"{fig.page}: no {fig.kind} number {fig.index} in section {fig.section}")
    if fig.kind == "table":
        return target.evaluate("e => e.outerHTML")
    target.scroll_into_view_if_needed()
    if fig.kind == "chart":
        target.locator("svg, canvas").first.wait_for(state="attached", timeout=20000)
        page.wait_for_timeout(300)  # let Vega finish its layout
        target.evaluate(GREYS_BY_COLOUR)
    png = target.screenshot(animations="disabled")
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    return f'<img src="{uri}" alt="{html.escape(fig.caption)}">'



def checklist_html(page, base: str) -> str:
    page.goto(f"{base}/{CHECKLIST.page}", wait_until="load")
    return page.locator(f"section#{CHECKLIST.section}").first.locator("ul").first.evaluate("e => e.outerHTML")


def handout_html(session: Session, case_html: str, figures: list[tuple[Figure, str]], checklist: str) -> str:
    title = f"Session {session.number} handout: {session.title}"
    figs = "\n".join(
        f"<figure class='{fig.kind}'>{body}<figcaption>{html.escape(fig.caption)} "
        f"<span class='source'>[{fig.page}]</span></figcaption></figure>"
        for fig, body in figures)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{PRINT_CSS}</style></head><body>
<section class="part">{case_html}</section>
<section class="part"><h2>Session {session.number}: key charts and tables</h2>{figs}</section>
<section class="part checklist"><h2>Before comparing trials: a checklist</h2>{checklist}
<p class="source">From the book's {html.escape(CHECKLIST.caption)} Educational material, not medical advice.</p>
</section></body></html>"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build" / "html")
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "handouts")
    parser.add_argument("--session", type=int, action="append", help="only these session numbers")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        raise SystemExit(f"{args.site} has no index.html: run 'make book' first")
    args.out.mkdir(parents=True, exist_ok=True)

    from conftest import CHROMIUM_ARGS, chromium_path, serve
    from playwright.sync_api import sync_playwright

    with serve(args.site) as base:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1000, "height": 900}, device_scale_factor=2)
            page = context.new_page()
            checklist = checklist_html(page, base)
            for session in SESSIONS:
                if args.session and session.number not in args.session:
                    continue
                case_html = case_sheet_html(page, f"{base}/{session.case_page}")
                figures = [(fig, capture(page, base, fig)) for fig in session.figures]
                printer = context.new_page()
                printer.emulate_media(media="print")
                printer.set_content(handout_html(session, case_html, figures, checklist), wait_until="load")
                target = args.out / f"session-{session.number}.pdf"
                printer.pdf(path=str(target), format="A4", print_background=False, prefer_css_page_size=True)
                printer.close()
                print(f"wrote {target.relative_to(REPO) if target.is_relative_to(REPO) else target}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
