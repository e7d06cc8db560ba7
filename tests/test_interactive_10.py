"""Chapter 10 (audit): the source-table menu of the printed-vs-recomputed chart filters its points in the page."""
from __future__ import annotations

PAGE = "chapters/10-audit.html"
COUNT_POINTS = """() => {
    const embed = document.querySelector('select[name="table_pick"]').closest('.vega-embed');
    return embed.querySelectorAll('svg g.mark-symbol path').length;
}"""


def test_table_menu_filters_the_audit_chart(site_url, page):
    page.goto(f"{site_url}/{PAGE}", wait_until="load")
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
    assert 0 < prevalence_only < everything

    menu.select_option("all tables")
    menu.dispatch_event("change")
    page.wait_for_function(f"() => ({COUNT_POINTS})() === {everything}", timeout=10000)
