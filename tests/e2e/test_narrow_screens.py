"""Every main page at a 320-pixel-wide window (a 1280-pixel screen at 400% zoom, or a phone):
nothing wider than the window, so no sideways scrolling of the page (WCAG 1.4.10 Reflow); wide
tables scroll inside their own focusable region. axe runs on each page as well, the admin included.

Set SCREENSHOT_DIR to keep a full-page screenshot of each (they are looked at, not compared).
"""

import os
from pathlib import Path

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from forces.models import ForceMembership
from recommendations.models import Extension, Round, Snapshot
from tests.e2e.conftest import serious_accessibility_issues, sign_in

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 720}
PAST = "progress-update-march-2024"


def _pages_for(role: str) -> list[tuple[str, str]]:
    open_round = Round.objects.get(closed=False).slug
    snapshot = Snapshot.objects.get(round__slug=PAST, state="published").pk
    lead = [
        ("lead-force", "/forces/west-midlands/"),
        ("lead-answer-form", f"/forces/west-midlands/rounds/{open_round}/answers/tvip-super-complaint/1/"),
        ("lead-answer-once", f"/forces/west-midlands/rounds/{open_round}/answers/illustrative-follow-up/1/"),
        (
            "lead-milestone-add",
            f"/forces/west-midlands/rounds/{open_round}/answers/tvip-super-complaint/1/milestones/add/",
        ),
        ("lead-more-time", f"/forces/west-midlands/rounds/{open_round}/more-time/"),
        ("lead-check-answers", f"/forces/west-midlands/rounds/{open_round}/check/"),
        ("lead-upload", f"/forces/west-midlands/rounds/{open_round}/upload/"),
        ("lead-submitted", f"/forces/west-midlands/rounds/{open_round}/submitted/"),
        ("lead-past-round", f"/forces/west-midlands/rounds/{PAST}/"),
        ("lead-history", f"/forces/west-midlands/rounds/{PAST}/answers/tvip-super-complaint/1/history/"),
        ("lead-two-factor", "/accounts/two-factor/"),
        ("lead-register", "/register/"),
        ("lead-register-recommendation", "/register/tvip-super-complaint/1/"),
    ]
    staff = [
        ("staff-dashboard", "/dashboard/"),
        ("staff-recommendation", f"/dashboard/rounds/{PAST}/recommendations/tvip-super-complaint/1/"),
        ("staff-answer", f"/dashboard/rounds/{PAST}/recommendations/tvip-super-complaint/1/forces/west-midlands/"),
        ("staff-force", "/dashboard/forces/west-midlands/"),
        ("staff-links", "/dashboard/links/"),
        ("staff-more-time", "/dashboard/more-time/"),
        ("staff-more-time-decide", f"/dashboard/more-time/{Extension.objects.get(state='waiting').pk}/"),
        ("staff-snapshot", f"/dashboard/snapshots/{snapshot}/"),
        ("staff-history", f"/forces/west-midlands/rounds/{PAST}/answers/tvip-super-complaint/1/history/"),
        ("staff-lead-force", "/forces/west-midlands/"),
        ("staff-register", "/register/?report=tvip-super-complaint"),
        ("staff-register-recommendation", "/register/tvip-super-complaint/1/?force=west-midlands"),
    ]
    admin = [
        ("admin-index", "/admin/"),
        ("admin-round", f"/admin/recommendations/round/{Round.objects.get(slug=PAST).pk}/change/"),
        ("admin-force-lead", f"/admin/forces/forcemembership/{ForceMembership.objects.first().pk}/change/"),
        ("admin-report-import", reverse("admin:recommendations_report_import")),
    ]
    # Every model's list, and its add page where the admin has one (answers and the audit trail do not).
    for model, model_admin in django_admin.site._registry.items():
        meta = model._meta
        admin.append((f"admin-{meta.model_name}-list", reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")))
        if model_admin.has_add_permission(_AdminRequest()):
            admin.append((f"admin-{meta.model_name}-add", reverse(f"admin:{meta.app_label}_{meta.model_name}_add")))
    return {"lead-west-midlands": lead, "portfolio": staff, "admin": admin}[role]


class _AdminRequest:
    """Enough of a request for a model admin to say whether the administrator may add."""

    @property
    def user(self):
        return get_user_model().objects.get(username="admin")


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _too_wide(page) -> list[str]:
    """The page's width if it is wider than the window, with the elements that stick out."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const out = [];
            for (const el of document.body.querySelectorAll('*')) {
                const box = el.getBoundingClientRect();
                if (box.right > width + 1 && !el.closest('.app-table-wrapper, .app-scroll-region')) {
                    out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`);
                }
            }
            return [`page is ${document.documentElement.scrollWidth}px wide`, ...out.slice(0, 8)];
        }"""
    )


@pytest.mark.parametrize("role", ["lead-west-midlands", "portfolio", "admin"])
def test_no_main_page_is_wider_than_a_320_pixel_window_and_axe_finds_nothing_serious(page, demo_site, role):
    page.set_viewport_size(NARROW)
    sign_in(page, demo_site.url, role)
    if role == "lead-west-midlands":
        _screenshot(page, "sign-in-done")
    problems = {}
    for name, path in _pages_for(role):
        response = page.goto(demo_site.url + path)
        assert response.status == 200, f"{name}: {response.status}"
        _screenshot(page, name)
        found = _too_wide(page) + serious_accessibility_issues(page)
        if found:
            problems[name] = found
    assert problems == {}, "\n".join(f"{name}: {found}" for name, found in problems.items())


def test_the_sign_in_page_fits_a_320_pixel_window(page, demo_site):
    page.set_viewport_size(NARROW)
    page.goto(f"{demo_site.url}/accounts/login/")
    _screenshot(page, "sign-in")
    assert _too_wide(page) == []


def test_a_wide_table_scrolls_in_a_focusable_region_with_a_caption(page, demo_site):
    page.set_viewport_size(NARROW)
    sign_in(page, demo_site.url, "portfolio")
    page.get_by_role("link", name="Show each force's status for each recommendation").click()
    regions = page.locator(".app-table-wrapper")
    assert regions.count() >= 2
    for index in range(regions.count()):
        region = regions.nth(index)
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        labelled_by = region.get_attribute("aria-labelledby")
        assert labelled_by and page.locator(f"#{labelled_by}").evaluate("el => el.tagName") == "CAPTION"
    # The matrix is wider than the window: it scrolls by keyboard inside its region, the page does not.
    matrix = page.locator('[aria-labelledby="matrix-caption"]')
    matrix.focus()
    page.keyboard.press("ArrowRight")
    assert matrix.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
