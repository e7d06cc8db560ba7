"""The book's single chart style and the renderer that lets charts work offline.

* Palette: Okabe & Ito's colour-blind-safe qualitative palette.
* Every chart gets a title, axis titles with units and a text ``description`` (the accessible name
  screen readers announce); :func:`styled` insists on the latter.
* Renderer: Altair's HTML snippet, with data columns no chart refers to pruned
  (:func:`prune_datasets`). In the book it finds ``vegaEmbed`` and matching ``VEGA_DEBUG`` versions already
  defined by the site's own ``_static/vega-bundle.js`` (written by
  :mod:`ros1alk.vega_bundle`), so it never reaches for a CDN. (Altair 6.3's Vega-Lite MIME bundle is
  keyed ``application/vnd.vegalite.v6.json``, which nbformat rejects when nbclient stores outputs, so
  the MIME renderer is not used.)
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re

import altair as alt
import pandas as pd

# Okabe-Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermilion
    "#000000",  # black
    "#F0E442",  # yellow (last: low contrast on white)
]
# Colours by meaning, so a chapter says what a colour stands for rather than where it sits in the palette.
COLOURS = {
    "estimate": PALETTE[0],    # the default mark: a point estimate and its interval
    "ROS1": PALETTE[0],
    "ALK": PALETTE[1],
    "MET": PALETTE[2],
    "reference": PALETTE[6],   # reference lines, bands and labels (HR = 1, 50%, a chosen value)
    "highlight": PALETTE[5],   # the one thing the reader should look at (a pooled estimate, a mismatch)
    "muted": "#999999",        # background context (an identity line)
}
TARGETS = ("ROS1", "ALK", "MET")


def target_scale(targets=TARGETS[:2]) -> alt.Scale:
    """Colour scale for fusion targets (ROS1 blue, ALK orange, MET green), the same in every chapter."""
    return alt.Scale(domain=list(targets), range=[COLOURS[t] for t in targets])


# Sequential scheme for heatmaps (perceptually uniform, colour-blind safe).
SEQUENTIAL_SCHEME = "viridis"

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

THEME_NAME = "ros1alk"
RENDERER = "ros1alk-html"  # Altair's HTML renderer, with unused data columns pruned


def _theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "range": {"category": PALETTE, "heatmap": {"scheme": SEQUENTIAL_SCHEME}},
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#444"},
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "labelColor": "#222",
                "titleColor": "#222",
                "gridColor": "#e6e6e6",
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "horizontal"},
            "point": {"filled": True, "size": 60},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0]},
        }
    }


def prune_datasets(spec: dict) -> dict:
    """Drop columns of inline datasets that the chart never refers to.

    Chapters often chart a filtered table whose long text columns (``note``, ``reported``, ``source``)
    no mark, tooltip or expression uses; left in, they would be copied into the page once per chart.
    A column is kept if its name occurs anywhere in the rest of the specification (encodings,
    transforms, expressions, tooltips), so nothing a chart can use is removed. A chart that shows
    every field in its tooltip keeps its data whole. Floats are written with 6 significant digits
    (far beyond what a chart or tooltip shows) instead of 17.
    """
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    rest = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
    if re.search(r'"tooltip":\s*(true|\{"content":\s*"data"\})', rest):
        return {**spec, "datasets": {k: [{c: _short(v) for c, v in row.items()} for row in rows]
                                     for k, rows in datasets.items()}}
    pruned = {}
    for name, rows in datasets.items():
        columns = {c for row in rows for c in row}
        keep = {c for c in columns if c in rest}
        pruned[name] = [{c: _short(v) for c, v in row.items() if c in keep} for row in rows]
    return {**spec, "datasets": pruned}


def _short(value):
    return float(f"{value:.6g}") if isinstance(value, float) else value


_chart_counter = itertools.count(1)


def chart_id(spec: dict) -> str:
    """A deterministic element id for a chart: the same notebook run twice gives the same ids.

    Altair's own HTML renderer uses a random ``uuid4`` per chart, which rewrote every chart of every
    notebook on each ``make refresh``. Here the id hashes the chart's position in the kernel session (a
    counter, reset by :func:`setup_notebook`) and its specification, so charts on one page never share an
    id and a re-run with unchanged data reproduces the stored output byte for byte. The id keeps Altair's
    form (``altair-viz-`` and 32 hex digits), which the site's tests and nbval's sanitiser rely on.
    """
    digest = hashlib.sha256(f"{next(_chart_counter)}:{json.dumps(spec, sort_keys=True)}".encode()).hexdigest()
    return f"altair-viz-{digest[:32]}"


def _html_renderer(spec: dict, **metadata):
    from altair.utils.mimebundle import spec_to_mimebundle
    from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

    spec = prune_datasets(spec)
    options = {"mode": "vega-lite", "template": "universal", "vega_version": VEGA_VERSION,
               "vegaembed_version": VEGAEMBED_VERSION, "vegalite_version": VEGALITE_VERSION, **metadata}
    return spec_to_mimebundle(spec, format="html", output_div=chart_id(spec), **options)


def setup_notebook(*, full_text: bool = False) -> None:
    """Apply the book's chart theme and renderer, and tidy pandas display. Call once per notebook.

    ``full_text=True`` shows long text cells (notes, sources) in full instead of cutting them at 50
    characters, for chapters whose tables are mostly prose.
    """
    global _chart_counter
    _chart_counter = itertools.count(1)   # chart ids restart with each notebook run (see chart_id)
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(_theme)
    alt.theme.enable(THEME_NAME)
    # Altair's HTML renderer: the static site finds vegaEmbed in its own bundle; JupyterLab and
    # Binder (which are online) load the same library versions from Altair's default CDN.
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _html_renderer)
    alt.renderers.enable(RENDERER)
    # SVG output carries ARIA roles; the action menu links off-site, so it is switched off.
    alt.renderers.set_embed_options(actions=False, renderer="svg")
    alt.data_transformers.disable_max_rows()
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)
    pd.set_option("display.max_colwidth", None if full_text else 50)


def styled(chart: alt.TopLevelMixin, *, title: str, description: str, subtitle: str | None = None,
           width: int | str | None = "container") -> alt.TopLevelMixin:
    """Give a chart the book's title and its text description (required, for screen readers).

    ``width="container"`` lets single-view charts shrink to a phone screen; pass a number (or
    ``None``) for layered facets and concatenations, which cannot size to their container.
    """
    if not description or len(description.split()) < 8:
        raise ValueError("every chart needs a text description of at least a sentence for screen readers")
    title_param = alt.Title(title, subtitle=subtitle) if subtitle else title
    props = {"title": title_param, "description": description}
    if width is not None:
        props["width"] = width
    if width == "container":
        # Fit the width (axis titles and labels included) to the column, so nothing spills on a phone.
        props["autosize"] = alt.AutoSizeParams(type="fit-x", contains="padding")
    return chart.properties(**props)


def forest(data: pd.DataFrame, *, x_title: str, title: str, description: str, subtitle=None,
           y: str = "label", value: str = "value", low: str = "ci_low", high: str = "ci_high",
           log: bool = True, reference: float | None = 1.0, x_domain=None, has_ci: str | None = None,
           tooltip=None, label_limit: int = 330, row_height: int = 28, point_size: int = 80,
           colour: alt.Color | None = None, shape: alt.Shape | None = None, line_encoding: dict | None = None,
           line_width: float = 2, labels: str | None = None, height=None,
           width="container") -> alt.LayerChart:
    """Interval ("forest") chart: one row per estimate, a point at ``value`` and a line from ``low`` to ``high``.

    * ``log=True`` (hazard ratios) draws the x axis on a log scale; ``reference`` draws a dashed
      reference line (HR = 1 by default; ``None`` for none).
    * Rows keep the order of ``data``; ``y`` names the label column.
    * ``has_ci``: a boolean column; rows where it is false have no stored interval and are drawn as a
      diamond with no line.
    * ``colour``: an ``alt.Color`` encoding for points and lines (default: the estimate colour).
    * ``shape``: an ``alt.Shape`` encoding for the points (for example study against pooled estimate).
    * ``line_encoding``: extra encodings of the interval line, e.g. ``{"strokeDash": alt.StrokeDash(...)}``
      to tell a quoted range from a confidence interval; ``line_width``: its stroke width.
    * ``labels``: a text column written beside each point (for example "14/49").
    * ``height``: default ``row_height`` pixels per row; ``alt.Undefined`` leaves it to the theme.

    Chapter 00 builds this chart layer by layer with Altair (rule + point); later chapters call this.
    """
    scale_args = {"domain": x_domain} if x_domain is not None else {}
    scale = alt.Scale(type="log", **scale_args, nice=False) if log else (
        alt.Scale(**scale_args) if scale_args else alt.Undefined)
    y_enc = alt.Y(f"{y}:N", sort=list(data[y]), title=None, axis=alt.Axis(labelLimit=label_limit))
    base = alt.Chart(data)
    layers = []
    if reference is not None:
        layers.append(alt.Chart(pd.DataFrame({"x": [float(reference)]})).mark_rule(strokeDash=[4, 4]).encode(
            x=alt.X("x:Q", scale=scale)))
    line_base = base.transform_filter(f"datum['{has_ci}']") if has_ci else base
    line = line_base.mark_rule(strokeWidth=line_width).encode(
        y=y_enc, x=alt.X(f"{low}:Q", title=x_title, scale=scale), x2=f"{high}:Q", **(line_encoding or {}))
    point_enc = {"y": y_enc, "x": alt.X(f"{value}:Q", scale=scale)}
    if has_ci:
        point_enc["shape"] = alt.Shape(f"{has_ci}:N", legend=None,
                                       scale=alt.Scale(domain=[True, False], range=["circle", "diamond"]))
    if shape is not None:
        point_enc["shape"] = shape
    if tooltip is not None:                # on the line too: a range without a point still explains itself
        point_enc["tooltip"] = tooltip
        line = line.encode(tooltip=tooltip)
    if colour is not None:
        line = line.encode(color=colour)
        point_enc["color"] = colour
    point = base.mark_point(filled=True, size=point_size).encode(**point_enc)
    layers += [line, point]
    if labels is not None:
        layers.append(base.mark_text(align="left", dx=8, dy=-8, fontSize=11).encode(
            y=y_enc, x=alt.X(f"{value}:Q", scale=scale), text=f"{labels}:N"))
    chart = alt.layer(*layers)
    height = row_height * len(data) + 20 if height is None else height
    if height is not alt.Undefined:        # alt.Undefined: leave the height to the theme
        chart = chart.properties(height=height)
    return styled(chart, title=title, subtitle=subtitle, description=description, width=width)
