"""An analyst on a case team opens a campaign's link chart, expands a report to see what it
names, asks for the shortest path between two reports and exports the chart as PNG."""

from __future__ import annotations

import re

import pytest

from markaz.accounts.roles import Role
from markaz.accounts.services import user_create
from markaz.cases.choices import MemberRole
from markaz.cases.services import case_add_member, case_open
from markaz.intel.models import Campaign
from tests.browser.helpers import PASSWORD, log_in
from tests.factories import report_submitted

pytestmark = pytest.mark.browser

SUSPECT_PHONE = ("phone", "93 555 12 34")


def _node_count(page) -> int:
    return page.evaluate("window.markazChart.nodes().length")


def _click_node(page, node_id: str, *, double: bool = False) -> None:
    """A real mouse click on the node where the chart drew it."""
    position = page.evaluate(
        """id => {
            const node = window.markazChart.getElementById(id);
            const box = document.getElementById('link-chart').getBoundingClientRect();
            const at = node.renderedPosition();
            return {x: box.left + at.x, y: box.top + at.y};
        }""",
        node_id,
    )
    if double:
        page.mouse.dblclick(position["x"], position["y"])
    else:
        page.mouse.click(position["x"], position["y"])


def test_analyst_opens_a_campaigns_link_chart_and_expands_a_node(page, tmp_path) -> None:
    supervisor = user_create(
        username="rustam", password=PASSWORD, roles=[Role.SUPERVISOR], actor=None
    )
    analyst = user_create(username="dilnoza", password=PASSWORD, roles=[Role.ANALYST], actor=None)
    # Through intake's report_submit, so the intel hook indexes them and links a campaign.
    reports = [
        report_submitted(
            suspect_identifiers=[SUSPECT_PHONE, ("social", "@somon_shop_tj")],
            narrative="Пул гирифтанд.",
            victim_phone=f"+99291700112{n}",
        )
        for n in range(3)
    ]
    outside = report_submitted(
        suspect_identifiers=[SUSPECT_PHONE], narrative="Пул гирифтанд.", victim_phone=""
    )
    case = case_open(reports=reports, title="Somon shop", actor=supervisor)
    case_add_member(case=case, user=analyst, role=MemberRole.ANALYST, actor=supervisor)
    campaign = Campaign.objects.get()

    log_in(page, "dilnoza")
    page.goto(f"/staff/intel/campaigns/{campaign.pk}/")
    page.locator("#link-chart-link").click()
    page.wait_for_url(re.compile(r"/graph/campaign/"))
    page.wait_for_selector("#link-chart[data-ready=true]")

    # The campaign, its four reports (one outside the case: drawn, but restricted), the
    # phone and the handle, and the case.
    assert _node_count(page) == 8
    restricted = page.evaluate("window.markazChart.nodes('[?restricted]').map(n => n.id())")
    assert restricted == [f"report:{outside.pk}"]
    assert outside.reference not in page.content()
    assert re.search(r"8\D+\d+", page.locator("#chart-count").inner_text())

    # Double-click a report of the case: its victim's phone joins the chart.
    first = f"report:{reports[0].pk}"
    _click_node(page, first, double=True)
    page.wait_for_function("window.markazChart.nodes().length > 8")
    assert _node_count(page) >= 9  # the phone, and the same number as WhatsApp
    assert page.evaluate(
        "window.markazChart.nodes('[kind = \"indicator\"]').map(n => n.data('label'))"
        ".some(l => l.includes('+992917001120'))"
    )
    page.locator("#chart-details a").wait_for()
    assert reports[0].reference in page.locator("#chart-details").inner_text()

    # Two reports chosen, the shortest path between them lights up.
    page.locator("#chart-fit").click()
    _click_node(page, first)
    _click_node(page, f"report:{reports[2].pk}")
    page.locator("#chart-path").click()
    page.wait_for_function("window.markazChart.$('node.path').length >= 3")
    assert page.evaluate("window.markazChart.$('edge.path').length") >= 2
    assert page.evaluate(
        "id => window.markazChart.$('node.path').contains(window.markazChart.$id(id))", first
    )

    with page.expect_download() as download_info:
        page.locator("#chart-png").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".png")
    saved = tmp_path / "chart.png"
    download.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
