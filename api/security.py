"""Security headers on every answer, a strict policy on the pages, and the session cookie's flags."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from flask import Flask, Response, request

TEMPLATES = Path(__file__).parent / "templates"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def inline_script_hashes() -> list[str]:
    """CSP hashes of the pages' own inline scripts (static text in the templates), so no other script runs."""
    hashes = set()
    for template in sorted(TEMPLATES.rglob("*.html")):
        for body in _INLINE_SCRIPT.findall(template.read_text(encoding="utf-8")):
            if "{{" not in body and "{%" not in body:
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


def page_csp() -> str:
    """Own script, style and images only; no frames, no plugins; forms post back to us."""
    scripts = " ".join(["'self'", *inline_script_hashes()])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )


PAGE_CSP = page_csp()


def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.blueprint == "pages" or not request.path.startswith("/api/"):
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app: Flask, *, development: bool) -> None:
    """``development`` (and tests) serve plain HTTP; anywhere else the session cookie is ``Secure``."""
    app.config["SESSION_COOKIE_SECURE"] = not development
    app.after_request(_headers)
