"""Absolute links: every address MAB sends or prints (emails, the calendar-feed address, the link
column of a CSV) is ``BASE_URL`` and a route's path, never the request's Host header, which the
client chooses. Works with or without a request (the CLI and the worker have none)."""
from urllib.parse import quote, urlsplit

from flask import current_app


def base_parts(base_url: str) -> tuple[str, str, str]:
    """(scheme, host[:port], path prefix) of ``BASE_URL``; refuses anything not absolute."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RuntimeError(f"BASE_URL must be an absolute http(s) address such as "
                           f"https://mab.example.org, not {base_url!r}")
    return parts.scheme, parts.netloc, parts.path.rstrip("/")


def absolute_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` made absolute on ``BASE_URL`` (its path prefix included,
    so ``https://example.org/mab`` works behind a proxy that mounts MAB under ``/mab``)."""
    scheme, host, prefix = base_parts(current_app.config["BASE_URL"])
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(host, script_name=prefix or "/", url_scheme=scheme)
    url = adapter.build(endpoint, values, force_external=True)
    if anchor is not None:
        url += "#" + quote(str(anchor), safe="%!#$&'()*+,/:;=?@")
    return url
