"""Small Sphinx fixes for an offline, console-clean site (loaded from _config.yml).

* Jupyter Book 1 always loads sphinx-thebe, whose configuration snippet is added to every page twice
  (``const THEBE_JS_URL`` declared twice is a console SyntaxError) and points at a CDN. Live code is
  off in this book (Binder is the way to run it), so the snippet and sphinx-thebe.js are dropped.
* docutils wraps citations in ``<div role="list">`` whose children carry ``role="doc-biblioentry"``,
  which is not a list item: axe-core reports a critical aria-required-children violation. The list
  role is dropped (each entry keeps its biblioentry role).
"""
from __future__ import annotations


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", "")) if hasattr(script, "attributes") else ""
    return "sphinx-thebe" in filename or "THEBE_JS_URL" in body


def _drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]
    if "body" in context:
        context["body"] = context["body"].replace('<div role="list" class="citation-list">',
                                                  '<div class="citation-list">')
    css = context.get("css_files")
    if css:
        context["css_files"] = [c for c in css if "sphinx-thebe" not in str(getattr(c, "filename", c))]


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
