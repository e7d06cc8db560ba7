"""The book's single chart style and the renderer that lets charts work offline.

* Palette: Okabe & Ito's colour-blind-safe qualitative palette.
* Every chart gets a title, axis titles with units and a text ``description`` (the accessible name
  screen readers announce); :func:`styled` insists on the latter.
* Renderer: Altair's HTML snippet. In the book it finds ``vegaEmbed`` and matching ``VEGA_DEBUG``
  versions already defined by the site's own ``_static/vega-bundle.js`` (written by
  :mod:`ros1alk.vega_bundle`), so it never reaches for a CDN. (Altair 6.3's Vega-Lite MIME bundle is
  keyed ``application/vnd.vegalite.v6.json``, which nbformat rejects when nbclient stores outputs, so
  the MIME renderer is not used.)
"""
from __future__ import annotations

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


def setup_notebook() -> None:
    """Apply the book's chart theme and renderer, and tidy pandas display. Call once per notebook."""
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(_theme)
    alt.theme.enable(THEME_NAME)
    # Altair's HTML renderer: the static site finds vegaEmbed in its own bundle; JupyterLab and
    # Binder (which are online) load the same library versions from Altair's default CDN.
    alt.renderers.enable("html")
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
    return chart.properties(**props)
