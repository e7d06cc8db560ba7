"""Chapter 3's screening calculator responds to its sliders in the static page (no kernel).

Moves the prevalence slider, then the screen-specificity slider, of the built page in headless chromium
and checks that the drawn labels change and that the screen-alone PPV the chart shows equals the
formula computed here from the slider values the page reports.
"""
from __future__ import annotations

import json
import re

from conftest import open_page

PAGE = "chapters/03-diagnostics.html"
# Each bar of the calculator carries an aria-label such as "Screen alone: PPV 22.441%".
RATE = re.compile(r"^(Screen alone|Screen, then confirm): (PPV|NPV) ([\d.]+)%$")


def _labels(calc) -> list[str]:
    return calc.evaluate("el => [...el.querySelectorAll('svg [aria-label]')].map(n => n.getAttribute('aria-label'))")


def _texts(calc) -> list[str]:
    return calc.locator("svg text").all_text_contents()


def _rates(calc) -> dict[tuple[str, str], float]:
    found = {}
    for label in _labels(calc):
        m = RATE.match(label)
        if m:
            found[(m.group(1), m.group(2))] = float(m.group(3))
    assert len(found) == 4, f"expected PPV and NPV bars for both strategies, found {found}"
    return found


def _set_slider(page, calc, name: str, value: float) -> None:
    calc.locator(f"input[type='range'][name='{name}']").evaluate(
        """(el, v) => {
            el.value = String(v);
            el.dispatchEvent(new Event('input', {bubbles: true}));
            el.dispatchEvent(new Event('change', {bubbles: true}));
        }""",
        value,
    )


def _slider_value(calc, name: str) -> float:
    return float(calc.locator(f"input[type='range'][name='{name}']").input_value())


def _wait_for_change(page, calc, before: list[str]) -> None:
    page.wait_for_function(
        "([el, before]) => JSON.stringify([...el.querySelectorAll('svg text')].map(t => t.textContent)) !== before",
        arg=[calc.element_handle(), json.dumps(before)],
        timeout=10000,
    )


def _screen_ppv(prevalence_pct: float, sens_pct: float, spec_pct: float) -> float:
    p, se, sp = prevalence_pct / 100, sens_pct / 100, spec_pct / 100
    return 100 * p * se / (p * se + (1 - p) * (1 - sp))


def test_calculator_follows_its_sliders(site_url, page):
    page.set_viewport_size({"width": 390, "height": 900})
    errors = open_page(page, f"{site_url}/{PAGE}")
    calc = page.locator("div[id^='altair-viz-']", has=page.locator("input[name='prevalence']"))
    assert calc.count() == 1, "the page should hold exactly one chart with a prevalence slider"
    calc.locator("svg").wait_for(timeout=15000)
    for name in ("prevalence", "screen_sens", "screen_spec", "confirm_sens", "confirm_spec"):
        assert calc.locator(f"input[type='range'][name='{name}']").count() == 1, f"slider {name} missing"

    texts_start = _texts(calc)
    rates_start = _rates(calc)
    sens, spec = _slider_value(calc, "screen_sens"), _slider_value(calc, "screen_spec")
    prevalence_start = _slider_value(calc, "prevalence")
    ppv = rates_start[("Screen alone", "PPV")]
    assert abs(ppv - _screen_ppv(prevalence_start, sens, spec)) < 0.01

    # 1. Raise the prevalence: every count and the screen-alone PPV must move, and the PPV must rise.
    _set_slider(page, calc, "prevalence", 5)
    _wait_for_change(page, calc, texts_start)
    assert _slider_value(calc, "prevalence") == 5
    texts_mid = _texts(calc)
    rates_mid = _rates(calc)
    assert texts_mid != texts_start
    assert rates_mid[("Screen alone", "PPV")] > rates_start[("Screen alone", "PPV")]
    expected = _screen_ppv(5, sens, spec)
    assert abs(rates_mid[("Screen alone", "PPV")] - expected) < 0.01
    assert f"{expected:.1f}%" in texts_mid, f"label {expected:.1f}% not drawn; texts: {texts_mid}"

    # 2. Make the screen more specific: fewer false positives, so its PPV rises again.
    _set_slider(page, calc, "screen_spec", 99)
    _wait_for_change(page, calc, texts_mid)
    rates_end = _rates(calc)
    assert rates_end[("Screen alone", "PPV")] > rates_mid[("Screen alone", "PPV")]
    assert abs(rates_end[("Screen alone", "PPV")] - _screen_ppv(5, sens, 99)) < 0.01

    assert not errors, f"errors while using the calculator: {errors}"
