"""Chapter 04 (ROS1 trial evidence): the forest plot's group buttons filter the plotted studies.

Runs against the built site (see conftest.py; ROS1ALK_SITE points at a build made elsewhere).
"""
from __future__ import annotations

from conftest import open_chart

PAGE = "chapters/04-ros1-trials.html"
FOREST = "div[id^='altair-viz-']:has(input[type='radio'])"


def _points(chart) -> int:
    return chart.locator("g.mark-symbol path").count()


def test_forest_plot_group_buttons_filter_studies(site_url, page):
    chart = open_chart(page, f"{site_url}/{PAGE}", FOREST, drawn="g.mark-symbol path",
                       what="chart with radio buttons")
    every = _points(chart)
    labels_before = chart.locator("g.mark-symbol path").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label')).join('|')")

    chart.locator("input[type='radio'][value='Crizotinib: real world']").check()
    page.wait_for_function(
        "([sel, n]) => document.querySelector(sel).querySelectorAll('g.mark-symbol path').length !== n",
        arg=[FOREST, every], timeout=5000)
    real_world = _points(chart)
    labels_after = chart.locator("g.mark-symbol path").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label')).join('|')")

    assert every > real_world > 0, (every, real_world)
    assert labels_after != labels_before
    assert "Zeng 2018" in labels_after and "PROFILE 1001" not in labels_after

    chart.locator("input[type='radio'][value='All']").check()
    page.wait_for_function(
        "([sel, n]) => document.querySelector(sel).querySelectorAll('g.mark-symbol path').length === n",
        arg=[FOREST, every], timeout=5000)
