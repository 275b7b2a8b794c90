"""Answer once, in a real browser: staff link two reports' recommendations, a lead answers one and
reuses that answer for the other in one step, submits, and staff see both counted, with where the
reused answer came from."""

import pytest
from playwright.sync_api import expect

from recommendations.models import Round
from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e


def test_a_lead_reuses_an_answer_across_a_link_and_staff_see_both_counted(page, demo_site):
    open_round = Round.objects.get(closed=False)
    base = demo_site.url

    # Staff see the demo's links and add one.
    sign_in(page, base, "portfolio")
    page.goto(f"{base}/dashboard/links/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Linked recommendations")
    assert serious_accessibility_issues(page) == []
    page.get_by_label("Recommendation", exact=True).select_option(
        label="TVIP super-complaint 3: Consideration of findings"
    )
    page.get_by_label("covers", exact=True).check()
    page.get_by_label("Other recommendation").select_option(
        label="Illustrative follow-up 2b: Feedback from victims' groups"
    )
    page.get_by_role("button", name="Link them").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "TVIP super-complaint 3 covers Illustrative follow-up 2b: linked."
    )
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Sign out").click()

    # The lead answers TVIP 1, then reuses that answer for the illustrative report's 1.
    sign_in(page, base, "lead-west-midlands")
    page.get_by_role("link", name="1. The risk of honour-based abuse").click()
    page.get_by_label("In progress").check()
    page.get_by_label("Progress update").fill("Our sexual abuse policy now names the risk of honour-based abuse.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft")
    # The round shows one report at a time: the illustrative report is one link away.
    page.get_by_role("link", name="Illustrative follow-up").click()
    row = page.locator("tr", has_text="1. Honour-based abuse in safeguarding policy")
    expect(row).to_contain_text("Answered through TVIP super-complaint 1")
    assert serious_accessibility_issues(page) == []

    row.get_by_role("link", name="1. Honour-based abuse in safeguarding policy").click()
    expect(page.locator("#answered-through")).to_contain_text("Answered through TVIP super-complaint 1")
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Use this answer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Illustrative follow-up 1 now has your answer to TVIP super-complaint 1, saved as a draft."
    )
    expect(page.locator("tr", has_text="1. Honour-based abuse in safeguarding policy")).to_contain_text(
        "Reused from your answer to TVIP super-complaint 1."
    )

    page.goto(f"{base}/forces/west-midlands/rounds/{open_round.slug}/check/")
    assert serious_accessibility_issues(page) == []
    page.get_by_role("button", name="Submit return").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Return submitted")
    page.get_by_role("button", name="Sign out").click()

    # Staff: the illustrative report's 1 is counted, and its answer says where it came from.
    sign_in(page, base, "portfolio")
    page.goto(f"{base}/dashboard/rounds/{open_round.slug}/recommendations/illustrative-follow-up/1/")
    expect(page.locator("#answered-count")).to_have_text("1 of 43 forces answered.")
    assert serious_accessibility_issues(page) == []
    page.goto(f"{base}/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/1/")
    expect(page.locator("#answered-count")).to_have_text("1 of 43 forces answered.")
    page.goto(
        f"{base}/dashboard/rounds/{open_round.slug}/recommendations/illustrative-follow-up/1/forces/west-midlands/"
    )
    expect(page.locator("#reused-from")).to_contain_text("TVIP super-complaint 1: The risk of honour-based abuse")
    assert serious_accessibility_issues(page) == []
    page.locator("#reused-from").get_by_role("link").click()
    expect(page.locator("#narrative")).to_have_text("Our sexual abuse policy now names the risk of honour-based abuse.")
