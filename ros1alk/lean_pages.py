"""Make each built page light on a phone: rewrites of the rendered HTML, applied by ros1alk.sphinxext.

Measured with Lighthouse's mobile preset (``make bench``); each rewrite keeps what the reader sees:

* :func:`inline_icons`: the theme's 1.5 MB Font Awesome script is dropped; the handful of icons the
  pages use become inline SVG, drawn from the same icon set (read from the installed theme at build
  time, so the shapes are exactly the ones the script would have drawn).
* :func:`icon_font_css` (the site's ``_static/ros1alk-icons.css``): the icons the theme draws in CSS
  with the Font Awesome web font (admonition titles, download links) become SVG masks, so no page
  fetches the 156 kB font before its first paint.
* :func:`defer_charts`: chart scripts become inert data; ``_static/lazy-charts.js`` (loaded with
  ``defer``) fetches the Vega bundle and draws each chart only when it comes near the viewport, so
  neither the 0.9 MB bundle nor the chart rendering blocks the first paint.
* :func:`slim_code`: syntax-highlighting ``<span>`` elements whose colour equals the code block's
  own text colour in both the light and the dark code style are unwrapped (same look, far fewer DOM
  elements). :func:`fold_code`: code the page folds away (hide-input cells) is plain text until the
  reader unfolds it, when its colours come back from an inert ``<template>``.
* :func:`strip_icon_classes`: the theme stylesheet's icon-font class rules, unused once icons are SVG.
* :func:`defer_search`: the search index and its code load only on the search page (the theme's
  search box submits there; search-as-you-type is off).
* :func:`lean_tables`: output tables lose the indentation pandas writes between their tags (a text
  node per cell); a long one (more than :data:`LONG_TABLE_ROWS` rows) becomes a fixed-height,
  keyboard-scrollable box whose rows the browser lays out only when the box nears the viewport
  (``_static/book.css``: ``content-visibility: auto``; the box never changes size, so nothing moves).
"""
from __future__ import annotations

import functools
import html as html_lib
import re
from pathlib import Path

CHART_SCRIPT_TYPE = "application/x-ros1alk-chart"

# --------------------------------------------------------------------------------------- icons

_FA_ENTRY = re.compile(
    r'(?:"([\w-]+)"|([\w$]+)):\[(\d+),(\d+),\[([^\]]*)\],"([0-9a-f]+)","([^"]+)"\]')
_FA_PACK_START = re.compile(r'var \w+=\{(?=(?:"[\w-]+"|[\w$]+):\[\d+,\d+,\[)')


def fontawesome_script() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / \
        "fontawesome.js"


@functools.lru_cache(maxsize=1)
def icon_packs() -> dict[str, dict[str, tuple[int, int, str]]]:
    """Icons of the theme's Font Awesome script: {"brands"|"regular"|"solid": {name: (w, h, path)}}."""
    text = fontawesome_script().read_text(encoding="utf-8")
    starts = [m.start() for m in _FA_PACK_START.finditer(text)] + [len(text)]
    packs = []
    for begin, end in zip(starts, starts[1:]):
        icons: dict[str, tuple[int, int, str]] = {}
        for m in _FA_ENTRY.finditer(text, begin, end):
            name = m.group(1) or m.group(2)
            icon = (int(m.group(3)), int(m.group(4)), m.group(7))
            icons.setdefault(name, icon)
            icons.setdefault(f"U+{m.group(6)}", icon)  # by code point too, as the theme's CSS names them
            for alias in re.findall(r'"([\w-]+)"', m.group(5)):
                icons.setdefault(alias, icon)
        packs.append(icons)
    by_kind = {}
    for icons in packs:
        if "github" in icons and "rocket" not in icons:
            by_kind["brands"] = icons
        elif "rocket" in icons:
            by_kind["solid"] = icons
        else:
            by_kind["regular"] = icons
    if set(by_kind) != {"brands", "regular", "solid"}:
        raise RuntimeError(f"could not read the icon packs of {fontawesome_script()} (found {sorted(by_kind)})")
    return by_kind


_PACK_OF_PREFIX = {"fa-solid": "solid", "fas": "solid", "fa": "solid", "fa-regular": "regular", "far": "regular",
                   "fa-brands": "brands", "fab": "brands"}
_NOT_ICON_NAMES = {"fa-lg", "fa-xs", "fa-sm", "fa-xl", "fa-2xl", "fa-fw", "fa-solid", "fa-regular", "fa-brands",
                   "fa-1x", "fa-2x", "fa-3x", "fa-spin", "fa-pulse", "fa-border", "fa-inverse"}
# <i class="fa-solid fa-bars"></i> or <span class="fa-solid fa-bars"></span>: the theme's icon markup.
_ICON_TAG = re.compile(r'<(i|span)\s+class="([^"]*\bfa[srb]?\b[^"]*|[^"]*\bfa-(?:solid|regular|brands)\b[^"]*)"'
                       r'([^>]*)>\s*</\1>')
_FA_SCRIPT_TAG = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')

ICON_CSS = (
    ".svg-inline--fa{display:var(--fa-display,inline-block);height:1em;overflow:visible;"
    "vertical-align:-.125em;box-sizing:content-box}.svg-inline--fa.fa-lg{vertical-align:-.2em}"
)


def _icon_svg(match: re.Match) -> str:
    classes = match.group(2).split()
    attrs = match.group(3)
    pack = next((_PACK_OF_PREFIX[c] for c in classes if c in _PACK_OF_PREFIX), "solid")
    names = [c[3:] for c in classes if c.startswith("fa-") and c not in _NOT_ICON_NAMES]
    packs = icon_packs()
    found = [(n, packs[pack][n]) for n in names if n in packs[pack]]
    if not found:  # not an icon this script knows: leave it to the theme's icon font
        return match.group(0)
    name, (width, height, path) = found[0]
    kept = [c for c in classes if c not in _PACK_OF_PREFIX]
    title = re.search(r'\btitle="([^"]*)"', attrs)
    attrs = re.sub(r'\s*\btitle="[^"]*"', "", attrs)
    attrs = re.sub(r"\s+", " ", attrs).strip()
    if title:
        a11y = f'role="img" aria-label="{title.group(1)}"'
        inner = f"<title>{title.group(1)}</title>"
    else:
        a11y = 'aria-hidden="true" focusable="false"'
        inner = ""
    return (f'<svg class="svg-inline--fa {" ".join(kept)}"{" " + attrs if attrs else ""} {a11y} '
            f'data-icon="{name}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
            f'{inner}<path fill="currentColor" d="{path}"></path></svg>')


def inline_icons(page: str) -> str:
    """Drop the Font Awesome script; draw the page's icons as inline SVG (sized by ICON_CSS)."""
    if "fontawesome.js" not in page:
        return page
    page = _FA_SCRIPT_TAG.sub("", page, count=1)
    return _ICON_TAG.sub(_icon_svg, page)


def theme_stylesheets() -> list[Path]:
    import pydata_sphinx_theme
    import sphinx_book_theme

    return [Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "styles" /
            "pydata-sphinx-theme.css",
            Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static" / "styles" /
            "sphinx-book-theme.css"]


def _mask_url(icon: tuple[int, int, str]) -> str:
    from urllib.parse import quote

    width, height, path = icon
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
    return f'url("data:image/svg+xml,{quote(svg, safe=" /=:,.-")}")'


_FA_FONT = re.compile(r"font:var\(--fa-font-(solid|regular|brands)\)|font-family:Font Awesome\\? 6 (Free|Brands)")
_GLYPH = re.compile(r'^"(?:\\([0-9a-f]{4})|([\ue000-\uf8ff]))"$')  # "\f05a" or the private-use character
_MASK_BOX = ("content:\"\"!important;font-family:inherit;display:inline-block;width:1em;height:1em;"
             "box-sizing:content-box;vertical-align:-.125em;background-color:currentColor;"
             "-webkit-mask-repeat:no-repeat;mask-repeat:no-repeat;-webkit-mask-position:center;mask-position:center;"
             "-webkit-mask-size:contain;mask-size:contain;-webkit-mask-origin:content-box;mask-origin:content-box;"
             "-webkit-mask-clip:content-box;mask-clip:content-box")


def _code_point(glyph: re.Match) -> str:
    return f"U+{glyph.group(1)}" if glyph.group(1) else f"U+{ord(glyph.group(2)):x}"


def icon_font_css(stylesheets: list[str]) -> str:
    """CSS that draws the theme's icon-font glyphs (admonition titles, download links...) as SVG masks.

    The theme draws those icons with ``::before``/``::after`` text in the Font Awesome web font, so
    every page fetched a 156 kB font before its first paint. This stylesheet, loaded after the
    theme's, empties that text and paints the same icon (same code point, from the same icon set) as a
    CSS mask in the current colour, so the font is never needed.
    """
    packs = icon_packs()
    rules = []
    for text in stylesheets:
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        rules += [(sel.strip(), body) for sel, body in re.findall(r"(@?[^{}@]+)\{([^{}]*)\}", text)
                  if not sel.strip().startswith("@")]
    # Icon variables: --pst-icon-x:"\f05a" (a code point) or var(--pst-icon-y) (another icon variable).
    glyphs: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for _sel, body in rules:
        for name, value in re.findall(r"(--pst-[\w-]+):([^;]+)", body):
            value = value.strip()
            glyph = _GLYPH.match(value)
            alias = re.fullmatch(r"var\((--pst-[\w-]+)\)", value)
            if glyph:
                code = _code_point(glyph)
                icon = packs["solid"].get(code) or packs["brands"].get(code)
                if icon:
                    glyphs[name] = _mask_url(icon)
            elif alias:
                aliases[name] = alias.group(1)

    def resolve(name: str) -> str:
        seen = set()
        while name in aliases and name not in seen:
            seen.add(name)
            name = aliases[name]
        return name

    masks = {name: resolve(name) for name in {*glyphs, *aliases} if resolve(name) in glyphs}
    out = []
    used = set()
    for sel, body in rules:
        if sel.startswith(":") or ".fa" in sel.split(":")[0][:3]:
            continue
        font = _FA_FONT.search(body)
        content = re.search(r"content:([^;]+)", body)
        if font:
            out.append(f"{sel}{{{_MASK_BOX}}}")
        if not content:
            continue
        value = content.group(1).strip()
        var = re.fullmatch(r"var\((--pst-[\w-]+)\)", value)
        glyph = _GLYPH.match(value)
        if var and var.group(1) in masks:
            used.add(masks[var.group(1)])
            mask = f"var({masks[var.group(1)].replace('--pst-', '--ros1alk-mask-', 1)})"
        elif glyph and font:
            pack = "brands" if font.group(0).endswith(("brands)", "Brands")) else "solid"
            icon = packs[pack].get(_code_point(glyph))
            if not icon:
                continue
            mask = _mask_url(icon)
        else:
            continue
        out.append(f"{sel}{{-webkit-mask-image:{mask};mask-image:{mask}}}")
    root = ":root{" + ";".join(f"{n.replace('--pst-', '--ros1alk-mask-', 1)}:{glyphs[n]}" for n in sorted(used)) + "}"
    return "/* Generated by ros1alk.lean_pages.icon_font_css: theme icon glyphs drawn as SVG masks. */\n" + \
        "\n".join([ICON_CSS, root, *out]) + "\n"


_FA_CLASS_RULE = re.compile(r'(?<=[}])(?:\.fa-[\w-]+:(?:before|after),?)+\{content:"[^"]*"\}')


def strip_icon_classes(theme_css: str) -> str:
    """Drop the theme's 2,000 ``.fa-NAME:before{content:...}`` icon-font rules (the pages draw SVG icons).

    A third of the theme stylesheet every page must download and parse before its first paint.
    """
    return _FA_CLASS_RULE.sub("", theme_css)


# -------------------------------------------------------------------------------------- charts

_BUNDLE_TAG = re.compile(r'\s*<script src="([^"]*vega-bundle\.js[^"]*)"></script>')
_LAZY_TAG = re.compile(r'<script src="([^"]*lazy-charts\.js[^"]*)"></script>')
# Altair's HTML output: the chart's div, then the script that embeds it.
_CHART = re.compile(
    r'(<div (?:class="[^"]*" )?id="(altair-viz-[0-9a-f]+)"></div>\s*)<script(?: type="text/javascript")?>')


def defer_charts(page: str) -> str:
    """Turn each chart script into inert data that lazy-charts.js runs when the chart nears the viewport."""
    if "altair-viz-" not in page:
        return page
    bundle = _BUNDLE_TAG.search(page)
    lazy = _LAZY_TAG.search(page)
    if not bundle or not lazy:
        return page
    page = _BUNDLE_TAG.sub("", page, count=1)
    page = _LAZY_TAG.sub(
        f'<script defer src="{lazy.group(1)}" data-vega-bundle="{html_lib.escape(bundle.group(1))}"></script>',
        page, count=1)
    return _CHART.sub(rf'\1<script type="{CHART_SCRIPT_TYPE}" data-chart="\2">', page)


# ---------------------------------------------------------------------------------------- code

@functools.lru_cache(maxsize=8)
def plain_token_classes(light_style: str, dark_style: str) -> frozenset[str]:
    """Pygments classes drawn exactly like plain code text in both styles (their spans change nothing)."""
    from pygments.styles import get_style_by_name
    from pygments.token import STANDARD_TYPES, Name, Punctuation, Text

    plain = None
    for style_name in (light_style, dark_style):
        style = get_style_by_name(style_name)
        base = style.style_for_token(Text)
        same = set()
        for token, css_class in STANDARD_TYPES.items():
            # Names, punctuation and whitespace only: other classes may carry meaning beyond colour
            # (copybutton skips prompts, .gp; the theme styles some generic tokens).
            if not css_class or not (token in Name or token in Punctuation or token in Text.Whitespace):
                continue
            s = style.style_for_token(token)
            if (s["color"] in (None, base["color"]) and not s["bold"] and not s["italic"] and not s["underline"]
                    and not s["bgcolor"] and not s["border"]):
                same.add(css_class)
        plain = same if plain is None else plain & same
    return frozenset(plain or ())


# Folded code (hide-input cells): plain text in the page, its colours in an inert <template> that
# FOLDED_CODE_JS puts back when the reader unfolds it (into the block's <pre>; copybutton puts its
# button between the two). Closed <details> cost nothing to lay out, but
# their highlighting spans were a third of a chapter's DOM elements.
_FOLDED_INPUT = re.compile(r'<details class="[^"]*\babove-input\b[^"]*">.*?</details>', re.S)
_PRE = re.compile(r'<pre>(.*?)</pre>', re.S)
FOLDED_CODE_JS = (
    '<script>document.addEventListener("toggle",function(e){var d=e.target;if(!d.open||!d.querySelectorAll)'
    'return;d.querySelectorAll("template.ros1alk-colours").forEach(function(t){'
    'var p=t.parentNode.querySelector("pre");if(p){p.innerHTML=t.innerHTML;}t.remove();});},true);</script>'
)


def _fold_code(match: re.Match) -> str:
    def plain(pre: re.Match) -> str:
        text = re.sub(r"<[^>]+>", "", pre.group(1))
        if text == pre.group(1):
            return pre.group(0)
        return f'<pre>{text}</pre><template class="ros1alk-colours">{pre.group(1)}</template>'

    return _PRE.sub(plain, match.group(0))


def fold_code(page: str) -> str:
    """Folded code cells keep plain text in the page and get their colours back when unfolded."""
    if "above-input" not in page:
        return page
    folded = _FOLDED_INPUT.sub(_fold_code, page)
    if folded == page:
        return page
    return folded.replace("</body>", f"{FOLDED_CODE_JS}\n</body>", 1)


def slim_code(page: str, plain_classes: frozenset[str]) -> str:
    """Unwrap highlighting spans that add no colour, and merge neighbouring spans of one class."""
    if not plain_classes or '<div class="highlight">' not in page:
        return page
    alternatives = "|".join(sorted(map(re.escape, plain_classes)))
    unwrap = re.compile(rf'<span class="(?:{alternatives})">([^<]*)</span>')
    merge = re.compile(r'<span class="([\w]+)">([^<]*)</span><span class="\1">([^<]*)</span>')

    def slim_block(match: re.Match) -> str:
        block = unwrap.sub(r"\1", match.group(0))
        previous = None
        while previous != block:
            previous = block
            block = merge.sub(r'<span class="\1">\2\3</span>', block)
        return block

    return re.sub(r'<div class="highlight"><pre>.*?</pre></div>', slim_block, page, flags=re.S)


# -------------------------------------------------------------------------------------- search

_SEARCH_TAGS = re.compile(r'<script src="([^"]*(?:searchtools|language_data|searchindex)\.js[^"]*)"></script>')


def defer_search(page: str) -> str:
    """Search scripts only where they run: the search page, or every page if search-as-you-type is on.

    With search-as-you-type off (this book's setting), the theme's search box just submits to
    search.html, so other pages never use the search index (41 kB gzipped, growing with the book)
    nor the code that reads it; there they are dropped. Where they are kept, they load with defer.
    """
    if 'id="search-results"' in page:  # the search page itself runs them as it loads
        return page
    if "DOCUMENTATION_OPTIONS.search_as_you_type = false;" in page:
        return _SEARCH_TAGS.sub("", page)
    return _SEARCH_TAGS.sub(r'<script defer src="\1"></script>', page)


# -------------------------------------------------------------------------------------- tables

LONG_TABLE_ROWS = 20
_TABLE_TAG = r"(?:table|thead|tbody|tfoot|tr|th|td|caption|colgroup|col)"
_TABLE_WHITESPACE = re.compile(rf"(</?{_TABLE_TAG}\b[^>]*>)\s+(?=</?{_TABLE_TAG}\b)")
# A table output of a code cell (pandas: a <div> holding its <style scoped> and <table>).
_OUTPUT_TABLE = re.compile(
    r'<div class="output text_html">(<div>\s*(?:<style scoped>.*?</style>\s*)?<table\b.*?</table>)', re.S)


def lean_tables(page: str) -> str:
    """Drop the whitespace between table tags; mark long output tables as fixed-height scroll boxes."""
    def one(match: re.Match) -> str:
        body = re.sub(r"<table\b.*?</table>", lambda t: _TABLE_WHITESPACE.sub(r"\1", t.group(0)), match.group(1),
                      flags=re.S)
        if body.count("<tr") > LONG_TABLE_ROWS:
            rows = sum(b.count("<tr") for b in re.findall(r"<tbody>.*?</tbody>", body, flags=re.S))
            return ('<div class="output text_html long-table" tabindex="0" role="region" '
                    f'aria-label="Table of {rows} rows (scrolls)">{body}')
        return f'<div class="output text_html">{body}'

    return _OUTPUT_TABLE.sub(one, page) if '<div class="output text_html">' in page else page


def optimise(page: str, plain_classes: frozenset[str] = frozenset()) -> str:
    """Every rewrite above, in order."""
    page = inline_icons(page)
    page = defer_charts(page)
    page = slim_code(page, plain_classes)
    page = fold_code(page)
    page = lean_tables(page)
    return defer_search(page)
