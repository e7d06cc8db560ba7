"""Chapter 02 (epidemiology): leaving a cohort out recomputes the pooled row of the screening forest plot.

Runs against the built site (see conftest.py; ROS1ALK_SITE points at a build made elsewhere).
"""
from __future__ import annotations

from conftest import open_chart

PAGE = "chapters/02-epidemiology.html"
CHART = "div[id^='altair-viz-']:has(select)"

I2_JS = """sel => [...document.querySelector(sel).querySelectorAll('text')]
    .map(t => t.textContent).filter(t => t.startsWith('I²')).join('|')"""
POOLED_JS = """sel => [...document.querySelector(sel).querySelectorAll('path[aria-label]')]
    .map(e => e.getAttribute('aria-label')).filter(t => t.includes('left_out')).join('|')"""


def test_leave_one_out_menu_updates_pooled_row(site_url, page):
    chart = open_chart(page, f"{site_url}/{PAGE}", CHART, what="chart with a menu")
    assert page.evaluate(I2_JS, CHART) == "I² = 40%"
    pooled_before = page.evaluate(POOLED_JS, CHART)
    assert "left_out: none" in pooled_before

    chart.locator("select").select_option("Zeng 2018")
    page.wait_for_function(f"sel => ({I2_JS})(sel) === 'I² = 0%'", arg=CHART, timeout=5000)
    pooled_after = page.evaluate(POOLED_JS, CHART)
    assert "left_out: Zeng 2018" in pooled_after and pooled_after != pooled_before

    chart.locator("select").select_option("none")
    page.wait_for_function(f"sel => ({I2_JS})(sel) === 'I² = 40%'", arg=CHART, timeout=5000)
