"""The genotype explorer of the resistance chapter works in the static page, with no kernel.

Opens the built chapter in headless chromium, reads the ranked-bar chart (drug order on the y axis and
the IC50 labels on the bars), picks another genotype in the drop-down bound to the Altair parameter, and
checks that the chart re-rendered with the new genotype's ranking.
"""
from __future__ import annotations

import math
import re

from conftest import open_page

import ros1alk as rk

PAGE = "chapters/07-resistance.html"
MENU = "#ic50-genotype-menu select"

# Reads the explorer (the chart titled "Drugs ranked by IC50 ...") straight from its rendered SVG:
# the drug names on the y axis and the IC50 labels on the bars, both top to bottom.
READ_EXPLORER = """() => {
  const svg = [...document.querySelectorAll("div[id^='altair-viz-'] svg")]
    .find(s => [...s.querySelectorAll('text')].some(t => t.textContent.startsWith('Drugs ranked by IC50')));
  if (!svg) return null;
  // Vega keeps each label element and moves it, so the order on screen is the order by position.
  const texts = sel => [...svg.querySelectorAll(sel)]
    .map(t => [t.getBoundingClientRect().top, t.textContent])
    .sort((a, b) => a[0] - b[0]).map(p => p[1]);
  return {
    axis: texts('g.role-axis-label text').filter(t => /^[a-z]+$/.test(t)),
    bars: texts('g.mark-text text').filter(t => t.includes('×')),
  };
}"""


def bar_label(genotype: str, drug: str) -> re.Pattern:
    """The bar label the explorer should draw: IC50 and fold over the non-mutant line, computed from data/ic50.csv.

    A censored IC50 (printed "> 3000") gives a lower bound on the fold, written with ≥.
    """
    ic50 = rk.load("ic50").set_index(["genotype", "drug"])
    row, base = ic50.loc[(genotype, drug)], ic50.loc[("Non-mutants", drug), "value"]
    censored = str(row["qualifier"]) == "gt"
    fold = row["value"] / base
    value = f">{row['value']:g}" if censored else f"{row['value']:g}"
    fold_text = f"≥{math.ceil(fold)}" if censored else f"{fold:.0f}"
    return re.compile(rf"^{re.escape(value)}\s+\({fold_text}×\)$")


def _explorer(page):
    page.wait_for_function(f"({READ_EXPLORER})() !== null", timeout=15000)
    return page.evaluate(READ_EXPLORER)


def test_genotype_menu_changes_ranked_bars(site_url, page):
    errors = open_page(page, f"{site_url}/{PAGE}")
    page.wait_for_selector(MENU, timeout=15000)

    select = page.locator(MENU)
    assert select.input_value() == "G2032R", "the explorer should open on G2032R"
    options = select.locator("option").all_text_contents()
    assert {"G2032R", "L2086F", "G2032R/L2086F", "S1986F/G2032R/L2086F"} <= set(options), options

    before = _explorer(page)
    assert len(before["axis"]) == 9, f"expected nine drugs on the axis, got {before['axis']}"
    assert any(bar_label("G2032R", "crizotinib").match(t) for t in before["bars"]), before["bars"]

    select.select_option("L2086F")
    page.wait_for_function(
        f"(() => {{ const r = ({READ_EXPLORER})(); return r && r.bars.some(t => t.startsWith('>3000')); }})()",
        timeout=10000,
    )
    after = _explorer(page)

    assert sorted(after["axis"]) == sorted(before["axis"]), "the same nine drugs should be ranked"
    assert after["axis"] != before["axis"], "the drug ranking did not change with the genotype"
    assert after["bars"] != before["bars"], "the bar labels did not change with the genotype"
    assert after["axis"][-1] == "lorlatinib", f"lorlatinib (> 3000) should rank last for L2086F: {after['axis']}"
    # lorlatinib's censored IC50 (> 3000) is kept as a lower bound on its fold change
    assert any(bar_label("L2086F", "lorlatinib").match(t) for t in after["bars"]), after["bars"]
    assert not errors, f"console errors: {errors}"
