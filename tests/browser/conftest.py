"""Playwright against Debian's Chromium and Django's live server, with axe-core.

Set at import time: Playwright's sync API runs an event loop in this thread, and Django
refuses ORM calls from a thread with a running loop unless told it is safe (it is: the test
thread is the only one touching the test's data)."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's Chromium, or another build named by CHROMIUM (make browser checks the same path).
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {
        **browser_type_launch_args,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            # A microphone that plays a tone, allowed without asking: the consultation's
            # recorder records from it (tests/browser/test_consultation.py).
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    }
    if CHROMIUM.exists():
        args["executable_path"] = str(CHROMIUM)
    return args


@pytest.fixture
def console_errors():
    """Errors the browser reported; a test that visits an error page on purpose clears it."""
    return []


@pytest.fixture
def page(page, console_errors):
    """Every page the test visits must load without errors in the console: a blocked script
    (Content-Security-Policy) or a missing asset fails the test."""
    page.on(
        "console", lambda message: console_errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.set_default_timeout(10_000)
    yield page
    assert console_errors == []


def sign_in(page, live_server, username: str, password: str = "a-long-test-password") -> None:
    """Sign in on the sign-in page as a user the factories made (their password by default)."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def assert_accessible(page, live_server):
    """Run axe-core (vendored, served by our own static files so CSP allows it) and fail on
    any WCAG 2.2 A/AA violation, listing each with the elements concerned."""
    # After a click that submits a form the next page may still be arriving: axe is added to,
    # and run on, the page once it has loaded (adding it mid-navigation finds no document head).
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"{live_server.url}/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -> " + ", ".join(n["target"][0] for n in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert violations == [], f"{page.url}:\n" + "\n".join(violations)
    # Also check the page really was the one expected to be tested, not an error page.
    assert result["passes"], "axe found nothing to check"
