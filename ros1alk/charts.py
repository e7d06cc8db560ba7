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


def _html_renderer(spec: dict, **metadata):
    from altair.vegalite.v6.display import html_renderer

    return html_renderer(prune_datasets(spec), **metadata)


def setup_notebook() -> None:
    """Apply the book's chart theme and renderer, and tidy pandas display. Call once per notebook."""
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
