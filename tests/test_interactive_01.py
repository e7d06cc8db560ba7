"""Chapter 01 (biology): the crizotinib potency chart's concentration buttons change which constants are solid.

Runs against the built site (see conftest.py; ROS1ALK_SITE points at a build made elsewhere).
"""
from __future__ import annotations

from conftest import open_chart

import ros1alk as rk

PAGE = "chapters/01-biology.html"
CHART = "div[id^='altair-viz-']:has(input[type='radio'])"

# marks the chart fades (opacity 0.25) because their constant lies above the chosen concentration
FADED_JS = """sel => [...document.querySelector(sel).querySelectorAll('path, line')]
    .filter(e => e.getAttribute('opacity') === '0.25').length"""
LABEL_JS = """sel => [...document.querySelector(sel).querySelectorAll('text')]
    .map(t => t.textContent).filter(t => t.startsWith('chosen:')).join('|')"""


def constants_above(concentration: float) -> int:
    """Crizotinib constants (nmol/l) whose value lies above the chosen concentration: the faded marks."""
    pharm = rk.load("pharmacology")
    constants = pharm[pharm["drug"].eq("crizotinib") & pharm["unit"].eq("nmol/l")]
    return int(constants["value"].gt(concentration).sum())


def test_concentration_buttons_change_solid_constants(site_url, page):
    chart = open_chart(page, f"{site_url}/{PAGE}", CHART, what="chart with radio buttons")
    assert page.evaluate(LABEL_JS, CHART) == "chosen: 10 nmol/l"
    assert page.evaluate(FADED_JS, CHART) == constants_above(10)  # MET 11, ALK 24, apoptosis 60 nmol/l

    chart.locator("input[type='radio'][value='100']").check()
    page.wait_for_function(f"sel => ({LABEL_JS})(sel) === 'chosen: 100 nmol/l'", arg=CHART, timeout=5000)
    assert page.evaluate(FADED_JS, CHART) == constants_above(100)

    chart.locator("input[type='radio'][value='0.3']").check()
    page.wait_for_function(f"sel => ({LABEL_JS})(sel) === 'chosen: 0.3 nmol/l'", arg=CHART, timeout=5000)
    assert page.evaluate(FADED_JS, CHART) == constants_above(0.3)  # every constant lies above 0.3 nmol/l
    assert not page.errors, page.errors
