"""`Site`: drives one browser page through the live server and audits every page it loads.

Every document the page loads must pass `Site.check()` (axe-core WCAG 2.1 A/AA, no sideways
scrolling at 360 px, no CSP violation, no broken asset). `visit()` and `navigation()` run the
check themselves; the `site` fixture fails a test that let a loaded page go unchecked.

To stay fast, axe and the 360-px check run once per distinct page in a session: two documents
whose markup differs only in user data (text, field values, numbers in links) share a
signature, and the second one is only checked for CSP and asset problems.

axe needs JavaScript timers, which never fire in a context with JavaScript disabled. There the
document's markup, without its scripts, is audited in a mirror page with JavaScript on.
"""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlsplit

from tests.browser.checks import assert_accessible, assert_no_horizontal_scroll

ASSET_TYPES = {"stylesheet", "script", "image", "font", "media"}

# True unless the document was parsed with scripting disabled (then <noscript> holds markup).
SCRIPTING_ENABLED = """() => !document.createRange()
    .createContextualFragment('<noscript><b>x</b></noscript>').querySelector('noscript b')"""

MARKUP_WITHOUT_SCRIPTS = """() => {
    const root = document.documentElement.cloneNode(true);
    root.querySelectorAll('script').forEach(s => s.remove());
    return '<!doctype html>' + root.outerHTML;
}"""

# The document's title and markup without user data: tags, attributes with digits blanked,
# whether an element has text or a field has a value (button labels are kept).
PAGE_SIGNATURE = """() => {
    const labelled = new Set(['submit', 'button', 'reset']);
    const lines = [document.title];
    for (const e of document.querySelectorAll('*')) {
        let line = e.tagName;
        for (const a of e.attributes) {
            const keep = a.name !== 'value' || labelled.has(e.getAttribute('type'));
            line += ' ' + a.name + '=' + (keep ? a.value.replace(/\\d+/g, '0') : (a.value ? 'set' : ''));
        }
        if ([...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) line += ' #text';
        lines.push(line);
    }
    return lines.join('\\n');
}"""


class Site:
    def __init__(self, page, base_url: str, seen: dict[str, str] | None = None):
        self.page = page
        self.base_url = base_url
        self.seen = seen if seen is not None else {}  # signature -> the first path audited with it
        self._loads: list[str] = []
        self._checked_loads = 0
        self._skipped: list[str] = []
        self._problems: list[str] = []
        self._mirror = None
        page.on("load", lambda p: self._loads.append(p.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self._problems.append(f"JavaScript error: {exc}"))
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self._problems.append(f"CSP violation: {message.text}")

    def _on_response(self, response) -> None:
        if response.request.resource_type in ASSET_TYPES and response.status >= 400:
            self._problems.append(f"{response.status} for {response.request.resource_type} {response.url}")

    @property
    def path(self) -> str:
        """The current path (and query) without the host."""
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def visit(self, path: str, status: int = 200):
        """Open `path`, expect `status`, check the page; returns the response."""
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, (
            f"GET {path}: expected {status}, got {response and response.status}"
        )
        self.check()
        return response

    @contextmanager
    def navigation(self, status: int = 200):
        """Wrap an action that loads a new document (a click, Enter, Space), then check it.

        `status` is the HTTP status of the final document (after redirects).
        """
        with self.page.expect_navigation() as info:
            yield
        response = info.value
        assert response is not None and response.status == status, (
            f"{self.path}: expected {status}, got {response and response.status}"
        )
        self.check()

    def check(self) -> None:
        """Audit the current document: accessibility, 360-px reflow, CSP and asset problems."""
        self.page.wait_for_load_state("load")
        problems, self._problems = self._problems, []
        assert not problems, f"problems while loading {self.page.url}:\n" + "\n".join(problems)
        signature = self.page.evaluate(PAGE_SIGNATURE)
        if signature not in self.seen:
            assert_accessible(self.page if self.page.evaluate(SCRIPTING_ENABLED) else self._mirrored())
            assert_no_horizontal_scroll(self.page)
            self.seen[signature] = self.path
        # Only now are the events of this document's load surely delivered: count them here.
        self._skipped.extend(self._loads[self._checked_loads : -1])
        self._checked_loads = len(self._loads)

    def _mirrored(self):
        """A JavaScript-enabled page showing the current document's markup (scripts removed)."""
        if self._mirror is None:
            context = self.page.context.browser.new_context(viewport=self.page.viewport_size)
            self._mirror = context.new_page()
        html = self.page.evaluate(MARKUP_WITHOUT_SCRIPTS)
        url = self.page.url.split("#")[0]

        def matches(candidate: str) -> bool:
            return candidate == url

        def serve(route):
            route.fulfill(body=html, content_type="text/html; charset=utf-8")

        self._mirror.route(matches, serve)
        try:
            self._mirror.goto(url)
        finally:
            self._mirror.unroute(matches, serve)
        return self._mirror

    def close(self) -> None:
        if self._mirror is not None:
            self._mirror.context.close()
            self._mirror = None

    def finish(self) -> None:
        """At the end of a test: check the current page if needed; no page may have been skipped."""
        if len(self._loads) > self._checked_loads:
            self.check()
        assert not self._skipped, f"pages loaded without being checked: {self._skipped}"
