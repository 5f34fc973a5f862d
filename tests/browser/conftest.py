"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Never a Playwright browser download: the centre's machines (and CI) may have no internet,
so the tests use the distribution's `/usr/bin/chromium` (`apt-get install -y chromium`).
Locally, without it, the browser tests are skipped with a reason; under `CI=true` they fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

# Playwright's sync API runs an asyncio event loop in the test thread (it drives the
# browser from a greenlet). Django sees that running loop and refuses ORM calls from the
# same thread with SynchronousOnlyOperation, although nothing here is async: the test
# thread only calls the ORM between browser steps, never concurrently with the loop's own
# work. The flag tells Django so; it is set only for the browser tests (this conftest is
# imported only when they are collected), never in the application.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("MARKAZ_CHROMIUM", "/usr/bin/chromium"))
# No internet here: without these Chromium tries Google's services in the background and
# fills the logs with refused connections; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots and page HTML of failed browser tests land here (gitignored).
FAILURES_DIR = Path(__file__).resolve().parents[2] / ".browser-failures"
# Short enough that a broken page fails in seconds, long enough for a loaded CI machine.
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    # Keep each phase's report on the test item so that the page fixture can see whether
    # the test failed and take a screenshot before the page closes.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is missing: install Debian's Chromium with `apt-get install -y chromium` "
            "(the browser tests never download a browser)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def live_url(live_server) -> Iterator[str]:
    # Each browser test starts with an empty rate-limit counter: the cache table lives
    # outside the models, so the transactional flush between tests does not empty it.
    cache.clear()
    yield live_server.url
    cache.clear()


@pytest.fixture
def page(browser, live_url: str, request: pytest.FixtureRequest) -> Iterator[object]:
    # An English-speaking browser: the pages must still come in Tajik unless the visitor
    # chooses otherwise.
    context = browser.new_context(
        base_url=live_url, locale="en-US", viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # A page that renders without its CSS or markaz.js still "works" in a test but not for
    # a person: every missing asset and every script error fails the test.
    broken: list[str] = []
    page.on(
        "response",
        lambda response: (
            broken.append(f"{response.status} {response.url}")
            if response.status >= 400 and "/static/" in response.url
            else None
        ),
    )
    page.on("pageerror", lambda error: broken.append(f"script error: {error}"))
    try:
        yield page
    finally:
        call = getattr(request.node, "rep_call", None)
        if call is not None and call.failed:
            _save_failure(page, request.node.nodeid)
        context.close()
    assert not broken, broken


def _save_failure(page: object, nodeid: str) -> None:
    FAILURES_DIR.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-150:]
    try:
        page.screenshot(path=str(FAILURES_DIR / f"{stem}.png"), full_page=True)
        (FAILURES_DIR / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # a failed screenshot must not hide the test's own failure
        print(f"could not save the failure screenshot: {error}")
    else:
        print(f"failure screenshot: {FAILURES_DIR / stem}.png")
