"""Chapter 08 (toxicity): the drug menu of the adverse-event chart filters the rendered chart in the static page."""
from __future__ import annotations

from conftest import open_page

PAGE = "chapters/08-toxicity.html"


def axis_labels(page, select_name: str) -> list[str]:
    """Text of the y-axis labels of the chart whose menu is named select_name."""
    return page.evaluate(
        """(name) => {
            const embed = document.querySelector(`select[name="${name}"]`).closest('.vega-embed');
            return [...embed.querySelectorAll('svg g.role-axis-label text')].map(t => t.textContent);
        }""",
        select_name,
    )


def test_drug_menu_filters_the_adverse_event_chart(site_url, page):
    errors = open_page(page, f"{site_url}/{PAGE}")
    page.wait_for_selector('select[name="drug_pick"]', timeout=15000)
    before = axis_labels(page, "drug_pick")
    assert any(label.startswith("crizotinib") for label in before)
    assert any(label.startswith("lorlatinib") for label in before)

    menu = page.locator('select[name="drug_pick"]')
    menu.select_option("lorlatinib")
    menu.dispatch_event("input")
    menu.dispatch_event("change")
    page.wait_for_function(
        """() => { const e = document.querySelector('select[name="drug_pick"]').closest('.vega-embed');
                   const ys = [...e.querySelectorAll('svg g.role-axis-label text')].map(t => t.textContent);
                   return ys.length > 0 && !ys.some(t => t.startsWith('crizotinib')); }""",
        timeout=10000,
    )
    after = axis_labels(page, "drug_pick")
    assert after != before
    event_labels = [label for label in after if ":" in label]
    assert event_labels and all(label.startswith("lorlatinib") for label in event_labels), after

    menu.select_option("all drugs")
    menu.dispatch_event("change")
    page.wait_for_function(
        """() => { const e = document.querySelector('select[name="drug_pick"]').closest('.vega-embed');
                   return [...e.querySelectorAll('svg g.role-axis-label text')]
                       .some(t => t.textContent.startsWith('crizotinib')); }""",
        timeout=10000,
    )
    assert not errors, errors
