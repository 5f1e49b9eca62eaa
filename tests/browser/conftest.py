"""Browser fixtures: a real app server, Debian's Chromium driven by Playwright, audited pages.

- `live_server`: base URL of gunicorn serving `wsgi:app` on a free loopback port, with its own
  migrated SQLite database and its email going to the aiosmtpd server (`smtp_server` and
  `mailbox` come from tests/conftest.py). One per session; `start_server` starts more (with
  other settings), each on a copy of the same migrated database.
- `browser`: headless Chromium at /usr/bin/chromium (one per session); `page`: a fresh
  context and page per test; `site`: a `Site` wrapping that page, which audits every page it
  loads (see tests/browser/site.py); `api`: an HTTP client without the browser's cookies.

Without Chromium the tests are skipped (with a line in the summary), or fail when
REQUIRE_BROWSER=1 (CI). A failing test leaves a full-page screenshot in
test-artifacts/screenshots/<test name>.png and its report shows the servers' last log lines.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.server import PROJECT_ROOT, LiveServer, start_live_server
from tests.browser.site import Site

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SKIP_REASON = f"Chromium not found at {CHROMIUM}: browser tests skipped; apt-get install chromium"
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
DESKTOP_VIEWPORT = {"width": 1280, "height": 800}

_call_reports = pytest.StashKey[pytest.TestReport]()
_skipped_for_chromium = pytest.StashKey[int]()
_audited_pages = pytest.StashKey[dict]()
_servers = pytest.StashKey[list]()
_more_pages = pytest.StashKey[list]()


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") is None or chromium_available():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"Chromium not found at {CHROMIUM} and REQUIRE_BROWSER=1; apt-get install chromium")
    stash = item.config.stash
    stash[_skipped_for_chromium] = stash.get(_skipped_for_chromium, 0) + 1
    pytest.skip(SKIP_REASON)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    audited = config.stash.get(_audited_pages, {})
    if audited:
        paths = sorted({re.sub(r"/[^/]{25,}", "/…", path) for path in audited.values()})
        terminalreporter.write_line(
            f"browser: {len(audited)} distinct pages passed axe-core and the 360-px check, at: {' '.join(paths)}"
        )
    skipped = config.stash.get(_skipped_for_chromium, 0)
    if skipped:
        terminalreporter.write_line(
            f"NOTE: {skipped} browser tests skipped: Chromium not found at {CHROMIUM} (apt-get install chromium)",
            yellow=True,
            bold=True,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_call_reports] = report
    if report.failed and report.when in ("call", "setup"):
        pages = [getattr(item, "funcargs", {}).get("page"), *item.stash.get(_more_pages, [])]
        for number, page in enumerate(p for p in pages if p is not None and not p.is_closed()):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            suffix = f"-{number + 1}" if number else ""
            path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", item.name) + suffix + ".png")
            try:
                page.screenshot(path=str(path), full_page=True)
                report.sections.append(("screenshot", str(path)))
            except Exception as exc:  # a screenshot must never hide the real failure
                report.sections.append(("screenshot", f"could not save a screenshot: {exc}"))
        for server in item.config.stash.get(_servers, []):
            report.sections.append((f"log of the server at {server.url} (last lines)", server.log(last=25)))
    return report


@pytest.fixture(scope="session")
def database_preparation(tmp_path_factory, smtp_server):
    """Migrate (and bank-sync) a template SQLite file in a background thread."""
    controller, _ = smtp_server
    server = LiveServer(tmp_path_factory.mktemp("template"), controller.port)
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield server.database, pool.submit(server.prepare_database)


@pytest.fixture(scope="session")
def migrated_database(database_preparation) -> Path:
    """The template database, once ready; every live server serves a copy of it."""
    path, done = database_preparation
    done.result()
    return path


@pytest.fixture(scope="session")
def start_server(request, tmp_path_factory, smtp_server, migrated_database):
    """Start a gunicorn server: `start_server(name, env={...}, app_spec=...)`. Each serves a copy
    of the migrated database and runs until the session ends; failing tests show its log."""
    servers = request.config.stash.setdefault(_servers, [])

    def start(name: str, **kwargs) -> LiveServer:
        servers.append(start_live_server(tmp_path_factory, smtp_server, name, template=migrated_database, **kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def live_server(start_server) -> str:
    """Base URL of the app (`wsgi:app`), served by gunicorn for the whole session."""
    return start_server("live").url


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(database_preparation, playwright_instance):
    # database_preparation comes first so that the database migrates while Chromium starts.
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def new_context(browser, **options):
    context = browser.new_context(viewport=DESKTOP_VIEWPORT, locale="en-US", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def context(browser):
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def site_at(request, browser, page):
    """Make a `Site` on any live server: `site_at(url)` drives `page`; `site_at(url,
    javascript=False)` a page of its own with JavaScript off. Each must end with every page checked."""
    sites, contexts = [], []
    seen = request.config.stash.setdefault(_audited_pages, {})

    def make(base_url: str, javascript: bool = True) -> Site:
        target = page
        if not javascript:
            contexts.append(new_context(browser, java_script_enabled=False))
            target = contexts[-1].new_page()
            request.node.stash.setdefault(_more_pages, []).append(target)
        sites.append(Site(target, base_url, seen))
        return sites[-1]

    yield make
    report = request.node.stash.get(_call_reports, None)
    try:
        if report is not None and report.passed:
            for made in sites:
                made.finish()
    finally:
        for made in sites:
            made.close()
        for context in contexts:
            context.close()


@pytest.fixture
def site(site_at, live_server):
    """The page on the live server, audited: every document it loads must pass `Site.check()`."""
    return site_at(live_server)


@pytest.fixture
def api(playwright_instance, live_server):
    """A plain HTTP client (Playwright's APIRequestContext) that shares no cookies with the browser."""
    client = playwright_instance.request.new_context(base_url=live_server)
    yield client
    client.dispose()
