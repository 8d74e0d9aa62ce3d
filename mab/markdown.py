"""Markdown rendered to HTML that is safe to show: nothing executable survives."""
import threading

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


_local = threading.local()


def _converter() -> md.Markdown:
    """One Markdown instance per thread, reset before each use: building one (its parser and
    extensions) costs more than converting a comment, and a page may convert hundreds."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=["tables", "sane_lists"],
                                                   output_format="html")
    return converter.reset()


def render_markdown(text: str | None) -> Markup:
    html = _converter().convert(text or "")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return Markup(clean)
