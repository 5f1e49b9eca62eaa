"""Checks run on pages in the browser: axe-core (WCAG 2.1 A/AA), 360-px reflow, visible focus."""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROW_VIEWPORT = {"width": 360, "height": 740}


@cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def _inject_axe(page) -> None:
    # The app's CSP (`script-src 'self'`) blocks page.add_script_tag. Rather than open every
    # context with bypass_csp=True (which would hide CSP breakage in the journeys), axe is
    # evaluated through the DevTools protocol, which CSP does not govern: the audited page
    # keeps running under the app's real policy.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}\n  {v['helpUrl']}")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Run axe-core on the current document; fail listing every WCAG 2.1 A/AA violation."""
    _inject_axe(page)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))}));
        }""",
        WCAG_TAGS,
    )
    assert not result, f"axe found accessibility violations on {page.url}:\n{format_violations(result)}"


def assert_no_horizontal_scroll(page) -> None:
    """At 360 x 740 CSS pixels the page must not scroll sideways (WCAG 1.4.10 reflow)."""
    original = page.viewport_size
    page.set_viewport_size(NARROW_VIEWPORT)
    try:
        widths = page.evaluate(
            """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
                wide: [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\\s+/g, '.') : ''))})"""
        )
    finally:
        if original:
            page.set_viewport_size(original)
    assert widths["scroll"] <= widths["inner"], (
        f"{page.url} scrolls sideways at 360 px: scrollWidth {widths['scroll']} > {widths['inner']}; "
        f"too wide: {widths['wide']}"
    )


FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
    return {
        tag: e.tagName.toLowerCase(), type: e.getAttribute('type') || '', id: e.id,
        name: (e.getAttribute('aria-label') || label || e.innerText || e.value || '').trim().replace(/\\s+/g, ' '),
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
        shadow: s.boxShadow !== 'none',
        inViewport: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
            && r.top < window.innerHeight && r.left < window.innerWidth,
    };
}"""


def focused(page) -> dict | None:
    """What has keyboard focus: tag, type, id, accessible-ish name, and whether focus shows."""
    return page.evaluate(FOCUSED)


def assert_focus_visible(page) -> dict:
    """The focused element shows an outline or a box-shadow and is on screen; returns it."""
    element = focused(page)
    assert element is not None, f"nothing has focus on {page.url}"
    assert element["outline"] or element["shadow"], f"focus is not visible on {element} at {page.url}"
    assert element["inViewport"], f"the focused element is off screen: {element} at {page.url}"
    return element
