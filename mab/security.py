"""Response headers and small request-level safety helpers."""
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_login import current_user

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'self'; object-src 'none'")

# Downloads whatever the route: CSV, the annex ZIP, calendars (the feed is read with a token).
EXPORT_TYPES = frozenset({"text/csv", "application/zip", "text/calendar"})


def register(app: Flask) -> None:
    app.after_request(_headers)


def _headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy",
                       "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    # A response that chose its own private caching keeps it (the calendar feed: private,
    # a few minutes, revalidated with its ETag); every other personal one is not stored.
    cache = response.cache_control
    if _private(response) and not cache.no_store and not cache.private:
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return response


def _private(response) -> bool:
    """No browser or proxy may keep a copy: every response to a signed-in person, every export
    or download, and pages opened with a secret link (RSVP, invitation, reset, calendar feed).
    Static files (the same for everyone, nothing personal) stay cacheable."""
    if request.endpoint == "static":
        return False
    if response.mimetype in EXPORT_TYPES \
            or "attachment" in response.headers.get("Content-Disposition", "").lower():
        return True
    if request.view_args and "token" in request.view_args:
        return True
    return current_user.is_authenticated


def safe_next(target: str | None) -> str | None:
    """Accept only a local path (no scheme, no host, no '//' or backslash tricks)."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
