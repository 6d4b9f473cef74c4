"""Browser tests: Debian's Chromium driven by Playwright against a real `koordi serve`.

Playwright's own browser download is not used (the build is offline): the tests
launch /usr/bin/chromium. Without it they fail, never skip, so a missing browser
cannot pass CI silently.

axe-core and the Content-Security-Policy
----------------------------------------
Koordi sends `script-src 'self'`, so `page.add_script_tag(content=...)` (an inline
<script>) is refused by the page. We do not work around that with a
`bypass_csp=True` context: that would switch the policy off for the whole journey
and hide real CSP breakage (an inline script or style creeping into a template).
Instead `audit()` evaluates axe's bundled source with `page.evaluate()`, which runs
through the DevTools protocol, outside the page's CSP -- the same way
axe-playwright-python injects it. The CSP stays enforced, and every context also
records CSP violations and uncaught page errors and fails the test on any.

Every context records every request the pages make; a test fails if one went
anywhere but a Koordi server this session started (Koordi is offline-first).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import PROFILE, ROOT, ServerProcess, koordi_env, start_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000

# WCAG 2.0 and 2.1, levels A and AA, plus Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Origins of the Koordi servers this session started: the only places a page may reach.
SERVER_ORIGINS: set[str] = set()
# (test id, method, url) of every request any page made, for the no-network test.
ALL_REQUESTS: list[tuple[str, str, str]] = []


# ---------------------------------------------------------------- servers


@dataclass
class Koordi:
    """A running `koordi serve` on its own data dir."""

    server: ServerProcess
    data_dir: Path
    stderr: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.server.base

    @property
    def origin(self) -> str:
        return self.server.base

    def url(self, path: str = "/") -> str:
        return self.server.base + path

    def login_url(self, path: str = "/") -> str:
        """The launch URL for `path`: the token sets the session cookie, then redirects to `path`."""
        return f"{self.server.base}{path}?token={self.server.token}"

    def stop(self) -> None:
        self.server.stop()


def launch_koordi(data_dir: Path) -> Koordi:
    data_dir.mkdir(parents=True, exist_ok=True)
    server = start_server([sys.executable, "-m", "app", "serve", "--data-dir", str(data_dir)], koordi_env())
    koordi = Koordi(server, data_dir)
    # Drain stderr so a chatty server can never block on a full pipe; kept for diagnostics.
    threading.Thread(target=lambda: koordi.stderr.extend(server.proc.stderr), daemon=True).start()
    SERVER_ORIGINS.add(koordi.origin)
    return koordi


def launch_demo_koordi(data_dir: Path) -> Koordi:
    """`koordi demo` (normal scale: ~25 units, two years of events and guidance, a profile) into
    `data_dir`, then `koordi serve` on it. For module-scoped fixtures of journeys that need records."""
    result = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=koordi_env(),
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return launch_koordi(data_dir)


@pytest.fixture
def fresh_koordi(tmp_path: Path):
    """A server on an empty data dir: first run, no profile, Finnish."""
    koordi = launch_koordi(tmp_path / "data")
    yield koordi
    koordi.stop()


@pytest.fixture(scope="module")
def first_run_koordi(tmp_path_factory):
    """A module-shared server that stays at first run: never submit a valid profile on it."""
    koordi = launch_koordi(tmp_path_factory.mktemp("first-run") / "data")
    yield koordi
    koordi.stop()


@pytest.fixture(scope="module")
def koordi(tmp_path_factory, browser):
    """A module-shared server whose profile is filled in. Tests set the language they need."""
    server = launch_koordi(tmp_path_factory.mktemp("koordi") / "data")
    context = open_context(browser, "koordi fixture")
    try:
        page = context.new_page()
        page.goto(server.login_url())
        complete_setup(page)
    finally:
        close_contexts([context])
    yield server
    server.stop()


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
            "Install it with `apt-get install chromium` (Playwright's own browser download is not used).",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        pytest.fail("the browser tests need Playwright: pip install -e '.[dev]'", pytrace=False)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Recorder:
    """What one browser context did that a test may not allow."""

    test_id: str
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, url)
    problems: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:
        self.requests.append((request.method, request.url))
        ALL_REQUESTS.append((self.test_id, request.method, request.url))

    def on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(f"CSP violation: {message.text}")

    def on_weberror(self, error) -> None:
        self.problems.append(f"page error: {error.error}")

    def foreign_requests(self, allowed: set[str] | None = None) -> list[str]:
        allowed = SERVER_ORIGINS if allowed is None else allowed
        return [f"{m} {u}" for m, u in self.requests if origin_of(u) not in allowed]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def open_context(browser, test_id: str, **kwargs):
    """A fresh browser context (own cookies, own storage) that records its traffic in `.recorder`."""
    kwargs.setdefault("viewport", VIEWPORT)
    context = browser.new_context(**kwargs)
    context.set_default_timeout(TIMEOUT_MS)
    recorder = Recorder(test_id)
    context.on("request", recorder.on_request)
    context.on("console", recorder.on_console)
    context.on("weberror", recorder.on_weberror)
    context.recorder = recorder
    return context


def close_contexts(contexts) -> None:
    """Close, then fail on any request to a foreign origin, CSP violation or script error."""
    recorders = [c.recorder for c in contexts]
    for context in contexts:
        context.close()
    foreign = [r for rec in recorders for r in rec.foreign_requests()]
    problems = [p for rec in recorders for p in rec.problems]
    assert not foreign, "requests left the machine:\n  " + "\n  ".join(foreign)
    assert not problems, "the page broke:\n  " + "\n  ".join(problems)


@pytest.fixture
def new_context(browser, request):
    """A factory of fresh, recording browser contexts; all are checked and closed after the test."""
    opened = []

    def make(**kwargs):
        context = open_context(browser, request.node.nodeid, **kwargs)
        opened.append(context)
        return context

    yield make
    close_contexts(opened)


@pytest.fixture
def page(new_context):
    """A page in a fresh browser context, per test."""
    return new_context().new_page()


# ---------------------------------------------------------------- axe-core


def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


_AXE: list[str] = []


# axe's color-contrast rule is about three quarters of its time (it finds each text's background
# element by element). Contrast is a matter of the colours and of the text's size and weight, which
# the language does not change, and every page and state the tests audit in Swedish they audit in
# Finnish too (the sweeps and the journeys' audits take both): on Swedish pages the other rules run.
NO_CONTRAST_IN = "sv"


def audit(page, tags: list[str] = AXE_TAGS) -> list[dict]:
    """Run axe-core on the page as it is now; return its violations (an empty list is a pass).

    axe is evaluated over the DevTools protocol, not added as an inline <script>, so the
    page's CSP (script-src 'self') stays in force: see this module's docstring. color-contrast
    is left out on pages in NO_CONTRAST_IN (see there).
    """
    if not _AXE:
        _AXE.append(_axe_source())
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_AXE[0])
    results = page.evaluate(
        """([tags, noContrastIn]) => axe.run(document, {
             runOnly: {type: 'tag', values: tags},
             rules: {'color-contrast': {enabled: document.documentElement.lang !== noContrastIn}},
             resultTypes: ['violations'],
           })""",
        [tags, NO_CONTRAST_IN],
    )
    return results["violations"]


def format_violations(violations: list[dict], where: str = "") -> str:
    """One readable block per rule: id, impact, what it means, and the offending elements."""
    lines = []
    for v in violations:
        lines.append(f"{where}[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}  -- {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(page, label: str | None = None) -> None:
    violations = audit(page)
    where = f"{label or page.url}: "
    assert not violations, "axe-core found accessibility violations:\n" + format_violations(violations, where)


# ---------------------------------------------------------------- journeys


def login(page, koordi: Koordi, path: str = "/"):
    """Open `path` the way the coordinator does: through the launch URL with the token."""
    return page.goto(koordi.login_url(path))


def check_post(response, what: str) -> None:
    """Fail with the cause, not just "403", when the server refuses a form the page sent."""
    if response is None or response.status != 403:
        return
    origin = response.request.header_value("origin")
    hint = ""
    if origin == "null":
        hint = (
            "\nChromium sent `Origin: null`: under `Referrer-Policy: no-referrer` a browser hides the "
            "origin of its own form POSTs. app/web/security.py must accept that when "
            "`Sec-Fetch-Site: same-origin` (or send `Referrer-Policy: same-origin`)."
        )
    raise AssertionError(f"{what}: the server answered 403 to the page's own POST (Origin: {origin}){hint}")


def submit(page, button=None, what: str = "sending a form"):
    """Click a submit button (default: the page's main form's) and wait for the next page."""
    button = button if button is not None else page.locator("form.form button[type=submit]")
    with page.expect_navigation() as nav:
        button.click()
    check_post(nav.value, what)
    return nav.value


def set_language(page, code: str) -> None:
    """Press the language button in the header (a POST to /language) and wait for the reload."""
    button = page.locator(f'.lang-switch button[value="{code}"]')
    with page.expect_navigation() as nav:
        button.click()
    check_post(nav.value, f"switching the language to {code}")
    assert page.locator("html").get_attribute("lang") == code


def complete_setup(page, profile: dict = PROFILE) -> None:
    """Fill the first-run form the quick way (the keyboard journey is a test of its own)."""
    assert urlsplit(page.url).path == "/setup", page.url
    page.fill("#name", profile["name"])
    page.check(f'input[name="role"][value="{profile["role"]}"]')
    page.select_option("#county", profile["county"])
    page.fill("#central_office_email", profile["central_office_email"])
    with page.expect_navigation() as nav:
        page.locator("form.form button[type=submit]").click()
    check_post(nav.value, "sending the first-run profile")
    assert urlsplit(page.url).path == "/", f"setup did not finish: {page.url}\n{page.content()[:2000]}"


def active_element(page) -> dict:
    """What has keyboard focus: tag, id, text, href, and a short description for messages."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return {tag: null, desc: 'nothing'};
            const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
            const tag = el.tagName.toLowerCase();
            return {
                tag, id: el.id || '', text, href: el.getAttribute('href'), name: el.getAttribute('name'),
                value: el.value, type: el.getAttribute('type'),
                desc: tag + (el.id ? '#' + el.id : '') + (text ? ' "' + text + '"' : ''),
            };
        }"""
    )


def press(page, key: str) -> dict:
    page.keyboard.press(key)
    return active_element(page)


_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    return _WS.sub(" ", text).strip()
