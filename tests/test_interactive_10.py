"""Chapter 10 (audit): the source-table menu of the printed-vs-recomputed chart filters its points in the page."""
from __future__ import annotations

from conftest import open_page

import ros1alk as rk

PAGE = "chapters/10-audit.html"
COUNT_POINTS = """() => {
    const embed = document.querySelector('select[name="table_pick"]').closest('.vega-embed');
    return embed.querySelectorAll('svg g.mark-symbol.role-mark path').length;   // data points, not legend symbols
}"""


def test_table_menu_filters_the_audit_chart(site_url, page):
    errors = open_page(page, f"{site_url}/{PAGE}")
    page.wait_for_selector('select[name="table_pick"]', timeout=15000)
    page.wait_for_function(f"() => ({COUNT_POINTS})() > 0", timeout=15000)
    everything = page.evaluate(COUNT_POINTS)

    menu = page.locator('select[name="table_pick"]')
    options = menu.locator("option").all_text_contents()
    assert options[0] == "all tables" and "outcomes" in options and "studies" in options

    menu.select_option("prevalence")
    menu.dispatch_event("input")
    menu.dispatch_event("change")
    page.wait_for_function(f"() => ({COUNT_POINTS})() < {everything}", timeout=10000)
    prevalence_only = page.evaluate(COUNT_POINTS)
    audit = rk.audit.percentage_audit()    # the prevalence table's percentages all come with their counts
    assert prevalence_only == int(audit["table"].eq("prevalence").sum()) < everything

    menu.select_option("all tables")
    menu.dispatch_event("change")
    page.wait_for_function(f"() => ({COUNT_POINTS})() === {everything}", timeout=10000)
    assert not errors, errors
