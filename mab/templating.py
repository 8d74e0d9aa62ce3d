"""Every template filter, registered in one place (``register`` is called by ``create_app``).

The filters that only shape text for a page live here; the ones that format dates and times
live in :mod:`mab.i18n`, Markdown in :mod:`mab.markdown`.
"""
import re

from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup, escape

from mab import i18n
from mab.markdown import render_markdown
from mab.validation.explain import condition_text

URL_RE = re.compile(r"https?://[^\s<>\"']+")


def hide_links(text: str) -> str:
    """A message's text with every web address replaced by a note that it went to the person."""
    return URL_RE.sub(_("[link hidden: sent to the person]"), str(text or ""))


def linkify(text: str) -> Markup:
    """Plain text with its web addresses made clickable (everything else escaped)."""
    # As plain text even when it comes as Markup: a {% filter linkify %} block in an HTML email
    # hands over the included .txt template's output (user input unescaped) marked safe.
    text = str(text or "")
    parts, last = [], 0
    for match in URL_RE.finditer(text or ""):
        parts.append(escape(text[last:match.start()]))
        url = match.group(0)
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = match.end()
    parts.append(escape((text or "")[last:]))
    return Markup("").join(parts)


def segments(parts) -> Markup:
    """Word diff as <ins>/<del>, everything escaped."""
    out = []
    for part in parts:
        text = escape(part.text)
        if part.op == "insert":
            out.append(Markup("<ins>{}</ins>").format(text))
        elif part.op == "delete":
            out.append(Markup("<del>{}</del>").format(text))
        else:
            out.append(text)
    return Markup("").join(out)


FILTERS = {
    "markdown": render_markdown,
    "segments": segments,
    "hide_links": hide_links,
    "linkify": linkify,
    "in_tz": i18n.in_timezone,
    "datetime": i18n.datetime_filter,
    "date": i18n.date_filter,
}


def register(app: Flask) -> None:
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    app.add_template_global(condition_text)
