"""Security headers on every response, and the Content-Security-Policy Dash works under."""

from __future__ import annotations

from collections.abc import Iterable

import flask

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
"""Paths of files that hold no data and may be cached (Dash fingerprints the component suites)."""


def content_security_policy(*, script_hashes: Iterable[str]) -> str:
    """The policy of every page: nothing from another site, no inline script but Dash's own.

    Dash writes two inline scripts into its index page (the renderer start-up and the page
    title updater of Dash Pages); ``script_hashes`` are their hashes (``app.csp_hashes()``).
    Plotly and dash-renderer set styles on elements at run time, hence ``'unsafe-inline'`` for
    styles only.

    Args:
        script_hashes: CSP source expressions such as ``'sha256-...'``.
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def apply_security_headers(response: flask.Response, *, policy: str, path: str) -> None:
    """Add the security headers to ``response`` (a policy it already has is kept).

    Args:
        response: The response about to be sent.
        policy: The Content-Security-Policy to send unless the response set its own.
        path: The request path; responses other than static files are never cached.
    """
    headers = response.headers
    headers.setdefault("Content-Security-Policy", policy)
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    # Same-origin requests name the page they came from (the audit trail records a callback
    # under its page); no other site is ever sent a referrer.
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if not path.startswith(STATIC_PREFIXES):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
        headers.pop("ETag", None)
        headers.pop("Last-Modified", None)
