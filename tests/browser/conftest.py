"""Browser-test fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is ever downloaded: the tests use the system Chromium (VIVIER_CHROMIUM overrides its
path). Without it the tests are skipped, except on CI (CI=true) where a missing browser fails.
"""

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SUBRESOURCE_TYPES = {"stylesheet", "script", "image", "font", "media"}
AXE_PATH = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# Records Content-Security-Policy violations; init scripts are injected by the browser, so the
# page's own CSP does not apply to this one.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""


def chromium_path() -> str:
    return os.environ.get("VIVIER_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module."""
    executable = chromium_path()
    if not Path(executable).is_file():
        reason = (
            f"Chromium not found at {executable} (install Debian's chromium package "
            "or set VIVIER_CHROMIUM to its path)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an asyncio event loop in the test thread; Django would
        # otherwise refuse the ORM calls of the tests and their fixtures
        # (SynchronousOnlyOperation). Set only while the browser runs, so that the rest of the
        # test session keeps Django's check.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()


@pytest.fixture(autouse=True)
def _expect_timeout() -> None:
    """Fail fast: a local page that needs more than 10 s is broken, not slow."""
    expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def axe_path() -> Path:
    """The vendored axe-core build."""
    return AXE_PATH


# What the Content-Security-Policy would block: looked for before axe is injected, since the
# audited page bypasses CSP (axe is injected as an inline script).
INLINE_CODE = """() => [
  ...[...document.querySelectorAll("script:not([src]), style, [style]")].map((e) => e.outerHTML),
  ...[...document.querySelectorAll("*")].flatMap((e) => [...e.attributes]
    .filter((a) => a.name.startsWith("on") || a.value.trim().startsWith("javascript:"))
    .map((a) => a.name + "= " + e.outerHTML)),
].map((text) => "inline code: " + text.slice(0, 200))"""


@pytest.fixture
def audit(axe_path: Path) -> Callable[[Any], list[str]]:
    """audit(page): inline code and axe-core's violations on the current page, one line each."""

    def violations(page: Any) -> list[str]:
        # Audit the page as it rests: an element loading through htmx is shown at reduced
        # opacity (.htmx-request), which axe would measure as low contrast.
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        inline = page.evaluate(INLINE_CODE)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(axe_path))
        found = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)"""
        )
        return [f"{page.url} {line}" for line in [*inline, *found]]

    return violations


@pytest.fixture
def password(pytestconfig: pytest.Config) -> str:
    """The password of the people the root conftest's fixtures create (conftest.PASSWORD).

    Both conftest modules are named "conftest", so the root one is found among the plugins.
    """
    root_conftest = (pytestconfig.rootpath / "conftest.py").resolve()
    for plugin in pytestconfig.pluginmanager.get_plugins():
        module_file = getattr(plugin, "__file__", None)
        if module_file and Path(module_file).resolve() == root_conftest:
            return plugin.PASSWORD
    raise LookupError(f"{root_conftest} is not loaded")


@dataclass
class PageProblems:
    """What went wrong in the browser while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    broken_resources: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def collect_csp(self, page: Any) -> None:
        """Gather the CSP violations the current document recorded."""
        if page.is_closed():
            return
        try:
            found = page.evaluate("() => window.__cspViolations || []")
        except Exception:  # the page is navigating: its violations show in the console too
            return
        self.csp_violations.extend(v for v in found if v not in self.csp_violations)

    def all(self) -> list[str]:
        return [
            *(f"console error: {m}" for m in self.console_errors),
            *(f"page error: {m}" for m in self.page_errors),
            *(f"server error: {m}" for m in self.server_errors),
            *(f"broken resource: {m}" for m in self.broken_resources),
            *(f"CSP violation: {m}" for m in self.csp_violations),
        ]


def watch(page: Any, problems: PageProblems) -> None:
    """Record console errors, uncaught exceptions, 5xx responses and CSP violations."""
    page.add_init_script(CSP_LISTENER)

    def on_console(message: Any) -> None:
        # Chromium logs every 4xx/5xx answer as "Failed to load resource"; those are judged by
        # on_response instead (a 422 from an htmx form with errors is expected, for one).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            location = message.location or {}
            problems.console_errors.append(
                f"{message.text} ({location.get('url', '?')}:{location.get('lineNumber', '?')})"
            )

    def on_response(response: Any) -> None:
        request = response.request
        if response.status >= 500:
            problems.server_errors.append(f"{response.status} {request.method} {response.url}")
        elif response.status >= 400 and request.resource_type in SUBRESOURCE_TYPES:
            problems.broken_resources.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    page.on("response", on_response)


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., tuple[Any, PageProblems]]]:
    """Open a page in a fresh browser context (own cookies) on the live server.

    new_page(**context_options) -> (page, problems); contexts are closed after the test.
    """
    contexts = []

    def make(**options: Any) -> tuple[Any, PageProblems]:
        options.setdefault("locale", "fr-FR")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        problems = PageProblems()
        watch(page, problems)
        return page, problems

    yield make
    for context in contexts:
        context.close()


def _sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.fixture
def sign_in() -> Callable[[Any, str, str], None]:
    """sign_in(page, email, password): sign in through the real login form."""
    return _sign_in
