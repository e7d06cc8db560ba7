"""Small Sphinx fixes for an offline, console-clean site (loaded from _config.yml).

* Jupyter Book 1 always loads sphinx-thebe, whose configuration snippet is added to every page twice
  (``const THEBE_JS_URL`` declared twice is a console SyntaxError) and points at a CDN. Live code is
  off in this book (Binder is the way to run it), so the snippet and sphinx-thebe.js are dropped.
* docutils wraps citations in ``<div role="list">`` whose children carry ``role="doc-biblioentry"``,
  which is not a list item: axe-core reports a critical aria-required-children violation. The list
  role is dropped (each entry keeps its biblioentry role).
* The offline Vega bundle (about 0.9 MB) is needed only where a chart is: pages without an Altair
  output do not load it.
* Code colours: the theme's default Pygments style fails WCAG-AA contrast (axe colour-contrast);
  the accessible-pygments high-contrast styles are set here, on top of the theme options Jupyter
  Book derives from _config.yml (setting html_theme_options there would replace the launch and
  repository buttons it computes).
* The book is built with execution off, so a notebook saved with a failing cell would otherwise be
  published with its traceback. Any stored error output is reported as a warning naming the notebook
  and the cell; the strict build (-W) turns it into a failure.
"""
from __future__ import annotations

import json

from sphinx.util import logging

logger = logging.getLogger(__name__)


def _check_stored_errors(app, docname, source):
    path = app.env.doc2path(docname)
    if not str(path).endswith(".ipynb"):
        return
    try:
        nb = json.loads(source[0])
    except ValueError:
        return
    code_cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    for number, cell in enumerate(code_cells, start=1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                logger.warning(
                    "%s: code cell %d (execution count %s) stored an error output: %s: %s",
                    path, number, cell.get("execution_count"), out.get("ename"), out.get("evalue"),
                    type="ros1alk", subtype="stored_error",
                )


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", "")) if hasattr(script, "attributes") else ""
    return "sphinx-thebe" in filename or "THEBE_JS_URL" in body


def _tidy_page(app, pagename, templatename, context, doctree):
    """Per page: drop sphinx-thebe, the citation list role, and the Vega bundle where no chart is."""
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]
    if "body" in context:
        context["body"] = context["body"].replace('<div role="list" class="citation-list">',
                                                  '<div class="citation-list">')
        if "altair-viz-" not in context["body"] and context.get("script_files"):
            context["script_files"] = [s for s in context["script_files"]
                                       if "vega-bundle" not in str(getattr(s, "filename", s))]
    css = context.get("css_files")
    if css:
        context["css_files"] = [c for c in css if "sphinx-thebe" not in str(getattr(c, "filename", c))]


def _accessible_code_colours(app, config):
    options = dict(config.html_theme_options or {})
    options.setdefault("pygment_light_style", "a11y-high-contrast-light")
    options.setdefault("pygment_dark_style", "a11y-high-contrast-dark")
    config.html_theme_options = options


def setup(app):
    app.connect("config-inited", _accessible_code_colours)
    app.connect("html-page-context", _tidy_page, priority=900)
    app.connect("source-read", _check_stored_errors)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
