"""Chapter 05 (ALK trial evidence): the median slider redraws the exponential curve and its readout.

Runs against the built site (see conftest.py; ROS1ALK_SITE points at a build made elsewhere).
"""
from __future__ import annotations

from conftest import open_chart

PAGE = "chapters/05-alk-trials.html"
SLIDER_CHART = "div[id^='altair-viz-']:has(input[type='range'])"


def test_median_slider_updates_curve_and_readout(site_url, page):
    chart = open_chart(page, f"{site_url}/{PAGE}", SLIDER_CHART, drawn="g.mark-text.role-mark text",
                       what="chart with a slider")
    readout = chart.locator("g.mark-text.role-mark text").first
    curve = chart.locator("g.mark-line path").first
    text_before, path_before = readout.text_content(), curve.get_attribute("d")
    assert "30% at 60 mo" in text_before, text_before      # median 34.8 months -> 30% at 5 years
    assert "49% at 36 mo" in text_before, text_before      # ... and 49% at 3 years

    chart.locator("input[type='range']").evaluate(
        "el => { el.value = '49.3'; el.dispatchEvent(new Event('input', {bubbles: true}));"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }")
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel).querySelector('g.mark-text.role-mark text').textContent !== old",
        arg=[SLIDER_CHART, text_before], timeout=5000)

    text_after = readout.text_content()
    assert "43% at 60 mo" in text_after, text_after        # 0.5 ** (60 / 49.3) = 0.43
    assert "60% at 36 mo" in text_after, text_after        # 0.5 ** (36 / 49.3) = 0.60
    assert curve.get_attribute("d") != path_before
