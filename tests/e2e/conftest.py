"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Without /usr/bin/chromium they are skipped, saying why; CI sets REQUIRE_BROWSER=1 so a missing
browser fails the run instead of skipping it.
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def _browser_missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install -y --no-install-recommends chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _browser_missing_reason()
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"Browser tests are required here but cannot run: {reason}")
    skip = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script, which the page's own Content-Security-Policy would block.
    return {**browser_context_args, "bypass_csp": True, "viewport": {"width": 1200, "height": 900}}


@pytest.fixture
def demo_site(transactional_db, live_server, settings):
    from recommendations.demo import demo_load

    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_load()
    return live_server


def sign_in(page, base_url: str, username: str, password: str = "tracker-demo") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")


def _known_govuk_frontend_issue(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend puts aria-expanded on radios that reveal a question, knowingly.

    axe reports it as not allowed by ARIA; the GOV.UK Design System keeps it because screen
    readers announce it and research found it helps (alphagov/govuk-frontend#979, a documented
    known issue). Only that exact finding is let through.
    """
    return (
        violation["id"] == "aria-allowed-attr"
        and "govuk-radios__input" in node["html"]
        and "aria-expanded" in node["html"]
    )


def serious_accessibility_issues(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    issues = []
    for violation in results["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = [node for node in violation["nodes"] if not _known_govuk_frontend_issue(violation, node)]
        if nodes:
            places = "; ".join(node["html"][:120] for node in nodes)
            issues.append(f"{violation['impact']}: {violation['id']}: {violation['help']}: {places}")
    return issues
