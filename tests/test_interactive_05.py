"""Chapter 05 (ALK trial evidence): the median slider redraws the exponential curve and its readout.

Runs against the built site (see conftest.py; ROS1ALK_SITE points at a build made elsewhere).
"""
from __future__ import annotations

from conftest import open_chart

PAGE = "chapters/05-alk-trials.html"
SLIDER_CHART = "div[id^='altair-viz-']:has(input[type='range'])"


def readout_of(median: float) -> list[str]:
    """What the chart writes for an exponential curve with this median: 100 * 0.5 ** (t / median) at t months."""
    return [f"{100 * 0.5 ** (t / median):.0f}% at {t} mo" for t in (12, 36, 60)]


def test_median_slider_updates_curve_and_readout(site_url, page):
    chart = open_chart(page, f"{site_url}/{PAGE}", SLIDER_CHART, drawn="g.mark-text.role-mark text",
                       what="chart with a slider")
    readout = chart.locator("g.mark-text.role-mark text").first
    curve = chart.locator("g.mark-line path").first
    slider = chart.locator("input[type='range']")
    text_before, path_before = readout.text_content(), curve.get_attribute("d")
    for expected in readout_of(float(slider.input_value())):   # the slider opens on ALEX's 34.8 months
        assert expected in text_before, (expected, text_before)

    slider.evaluate(
        "el => { el.value = '49.3'; el.dispatchEvent(new Event('input', {bubbles: true}));"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }")
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel).querySelector('g.mark-text.role-mark text').textContent !== old",
        arg=[SLIDER_CHART, text_before], timeout=5000)

    text_after = readout.text_content()
    for expected in readout_of(49.3):
        assert expected in text_after, (expected, text_after)
    assert curve.get_attribute("d") != path_before
    assert not page.errors, page.errors
