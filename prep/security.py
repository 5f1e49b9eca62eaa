"""Response security headers, CSRF policy and safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from flask_wtf.csrf import CSRFError

from prep.extensions import csrf

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def safe_next_url(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no open redirects)."""
    if not target or not isinstance(target, str):
        return None
    target = target.strip()
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def is_bearer_request() -> bool:
    return request.headers.get("Authorization", "").startswith("Bearer ")


def register_security(app: Flask) -> None:
    """CSRF on every state-changing request except Bearer-token API calls; headers on all."""

    @app.before_request
    def _csrf_protect():
        if request.method not in _UNSAFE_METHODS:
            return
        if request.path.startswith("/api/") and is_bearer_request():
            return
        # Views marked with csrf.exempt (the one-click unsubscribe) are skipped; a request that
        # matched no route is still checked, so it is refused for CSRF before routing answers.
        csrf.protect(apply_exemptions=request.endpoint is not None)

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("PREFERRED_URL_SCHEME") == "https":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.path.startswith("/api/") or response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store")
        return response

    app.register_error_handler(CSRFError, _csrf_error)


def _csrf_error(error: CSRFError):
    from prep.errors import error_response

    return error_response(
        400, "csrf_failed", f"The form could not be accepted: {error.description} Reload the page and try again."
    )
