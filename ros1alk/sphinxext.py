"""Small Sphinx fixes for an offline, console-clean site (loaded from _config.yml).

* Jupyter Book 1 always loads sphinx-thebe, whose configuration snippet is added to every page twice
  (``const THEBE_JS_URL`` declared twice is a console SyntaxError) and points at a CDN. Live code is
  off in this book (Binder is the way to run it), so the snippet and sphinx-thebe.js are dropped.
* docutils wraps citations in ``<div role="list">`` whose children carry ``role="doc-biblioentry"``,
  which is not a list item: axe-core reports a critical aria-required-children violation. The list
  role is dropped, and so is each entry's doc-biblioentry role, which ARIA 1.3 deprecates.
* The offline Vega bundle (about 0.9 MB) is needed only where a chart is: pages without an Altair
  output do not load it.
* Code colours: the theme's default Pygments style fails WCAG-AA contrast (axe colour-contrast);
  the accessible-pygments high-contrast styles are set here, on top of the theme options Jupyter
  Book derives from _config.yml (setting html_theme_options there would replace the launch and
  repository buttons it computes).
* Page weight on a phone (``make bench`` runs Lighthouse's mobile preset): every finished page passes
  through :func:`ros1alk.lean_pages.optimise` (inline SVG icons instead of the 1.5 MB Font Awesome
  script, charts drawn by ``_static/lazy-charts.js`` as they near the viewport, highlighting spans
  that add no colour unwrapped, folded code plain until unfolded, the search index only on the
  search page). The hook is a template bridge (:class:`LeanPages`), Sphinx's supported way to change
  how pages are rendered. The theme's icon-font glyphs become SVG masks (``_static/ros1alk-icons.css``)
  and its stylesheet loses the icon-font class rules, so no page fetches the 156 kB web font.
* The book is built with execution off, so a notebook saved with a failing cell would otherwise be
  published with its traceback. Any stored error output is reported as a warning naming the notebook
  and the cell; the strict build (-W) turns it into a failure.
* Citations in notebooks are Markdown links that JupyterLab can show (``ros1alk.citations``); as a
  notebook is read they become sphinxcontrib-bibtex roles again.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.util import logging

from ros1alk import citations, lean_pages

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
        # ARIA 1.3 deprecates doc-biblioentry (Lighthouse: aria-deprecated-role, aria-allowed-role).
        context["body"] = context["body"].replace(' role="doc-biblioentry"', "")
        if "altair-viz-" not in context["body"] and context.get("script_files"):
            context["script_files"] = [s for s in context["script_files"]
                                       if not any(name in str(getattr(s, "filename", s))
                                                  for name in ("vega-bundle", "lazy-charts"))]
    css = context.get("css_files")
    if css:
        context["css_files"] = [c for c in css if "sphinx-thebe" not in str(getattr(c, "filename", c))]


_NAV_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'


def _label_nav_toggles(app, pagename, templatename, context, doctree):
    """Give the sidebar's expand/collapse toggles (a chapter with pages under it, such as its self-check) an
    accessible name: the theme's <summary> holds only an icon, which axe reports as 'summary-name'."""
    generate = context.get("generate_toctree_html")
    if not callable(generate):
        return

    def labelled(*args, **kwargs):
        from markupsafe import Markup

        html = str(generate(*args, **kwargs))
        return Markup(html.replace(_NAV_TOGGLE, '<summary aria-label="Show or hide the pages of this chapter">'
                                               '<span class="toctree-toggle" role="presentation">'))

    context["generate_toctree_html"] = labelled


def _accessible_code_colours(app, config):
    options = dict(config.html_theme_options or {})
    options.setdefault("pygment_light_style", "a11y-high-contrast-light")
    options.setdefault("pygment_dark_style", "a11y-high-contrast-dark")
    config.html_theme_options = options


class LeanPages(BuiltinTemplateLoader):
    """Sphinx's own template loader; each full HTML page it renders is passed through lean_pages."""

    def init(self, builder, theme=None, dirs=None):
        super().init(builder, theme, dirs)
        options = builder.config.html_theme_options or {}
        self.plain_classes = lean_pages.plain_token_classes(
            options.get("pygment_light_style", "a11y-high-contrast-light"),
            options.get("pygment_dark_style", "a11y-high-contrast-dark"))

    def render(self, template, context):
        output = super().render(template, context)
        if output.lstrip()[:15].lower() == "<!doctype html>" and "</head>" in output:
            output = lean_pages.optimise(output, self.plain_classes)
        return output


def _lean_pages(app, config):
    if not config.template_bridge:
        config.template_bridge = f"{__name__}.LeanPages"


ICON_CSS = "ros1alk-icons.css"


def _write_icon_css(app):
    """The theme's icon-font glyphs as SVG masks (lean_pages.icon_font_css), written into the site."""
    if app.builder.format != "html":
        return
    css = lean_pages.icon_font_css([p.read_text(encoding="utf-8") for p in lean_pages.theme_stylesheets()])
    target = Path(app.outdir) / "_static" / ICON_CSS
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        target.write_text(css, encoding="utf-8")


def _strip_theme_icon_classes(app, exception):
    """The theme stylesheet in the site, without its icon-font class rules (lean_pages.strip_icon_classes)."""
    if exception is not None or app.builder.format != "html":
        return
    css = Path(app.outdir) / "_static" / "styles" / "pydata-sphinx-theme.css"
    if css.is_file():
        text = css.read_text(encoding="utf-8")
        stripped = lean_pages.strip_icon_classes(text)
        if stripped != text:
            css.write_text(stripped, encoding="utf-8")


def setup(app):
    app.connect("config-inited", _accessible_code_colours)
    app.connect("config-inited", _lean_pages)
    app.connect("builder-inited", _write_icon_css)
    app.add_css_file(ICON_CSS, priority=900)
    app.connect("build-finished", _strip_theme_icon_classes)
    app.connect("html-page-context", _tidy_page, priority=900)
    app.connect("html-page-context", _label_nav_toggles, priority=900)
    app.connect("source-read", _check_stored_errors)
    app.setup_extension("ros1alk.citations")
    # Pages are rewritten as they are rendered, so a change to these rewrites must re-render every page:
    # the environment version follows the source of this module and lean_pages.
    source = b"".join(Path(m.__file__).read_bytes() for m in (citations, lean_pages, sys.modules[__name__]))
    env_version = int(hashlib.sha256(source).hexdigest()[:8], 16)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": env_version}
