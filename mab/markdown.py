"""Markdown rendered to HTML that is safe to show: nothing executable survives."""
import html
import re
import threading
from functools import lru_cache

import markdown as md
import nh3
from markupsafe import Markup, escape

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


@lru_cache(maxsize=4096)
def render_paragraph(text: str) -> Markup:
    """:func:`render_markdown` of one paragraph of a version or an edition, remembered: a draft's
    paragraphs change rarely and are shown to every reader in every edition, so the pages render
    each once per worker (a few thousand paragraphs, a few megabytes at most)."""
    return render_markdown(text)


# The passage a comment quotes, marked in its rendered paragraph --------------------------------

# A tag of the sanitised HTML (attribute values may hold ">"), or the text between two tags.
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
# Tags that break the line: a passage read across them has a space there (as in
# mab.comments.rules.plain_text, which decided that the quote is in its paragraph).
_BREAKS = {"blockquote", "br", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre",
           "table", "tbody", "td", "th", "thead", "tr", "ul"}


def mark_passage(rendered: str, quote: str) -> Markup | None:
    """``rendered`` (sanitised HTML of one paragraph) with the first occurrence of ``quote``
    wrapped in ``<mark>``, one per run of text where the passage crosses tags; None when the
    passage is not there as shown (spaces folded). Only text between tags is changed, and it is
    escaped again, so nothing the sanitiser removed can come back."""
    quote = " ".join((quote or "").split())
    if not quote:
        return None
    parts = _TAG.split(str(rendered))          # text, tag, text, tag, ..., text
    shown: list[str] = []                      # the paragraph as read, spaces folded
    where: list[tuple[int, int] | None] = []   # for each character: (part, offset) or None
    texts: dict[int, str] = {}
    space = True
    for i, part in enumerate(parts):
        if i % 2:   # a tag
            name = _TAG_NAME.match(part)
            if name and name.group(1).lower() in _BREAKS and not space:
                shown.append(" ")
                where.append(None)
                space = True
            continue
        text = texts[i] = html.unescape(part)
        for j, char in enumerate(text):
            if char.isspace():
                if not space:
                    shown.append(" ")
                    where.append((i, j))
                    space = True
            else:
                shown.append(char)
                where.append((i, j))
                space = False
    start = "".join(shown).find(quote)
    if start < 0:
        return None
    spans: dict[int, list[int]] = {}
    for position in where[start:start + len(quote)]:
        if position is not None:
            i, j = position
            span = spans.setdefault(i, [j, j + 1])
            span[1] = j + 1
    out = []
    for i, part in enumerate(parts):
        if i in spans:
            text, (a, b) = texts[i], spans[i]
            out.append(f"{escape(text[:a])}<mark>{escape(text[a:b])}</mark>{escape(text[b:])}")
        else:
            out.append(part)
    return Markup("".join(out))


def stored_or_rendered(stored: str | None, text: str | None) -> Markup:
    """HTML kept when the text was saved (rendered and sanitised by :func:`render_markdown`
    then), else the text rendered now: a row saved before the HTML was kept, until ``flask mab
    rerender-markdown`` fills it."""
    if stored:
        return Markup(stored)   # sanitised when it was stored; never user input as such
    return render_markdown(text) if text else Markup("")


_TAGS = re.compile(r"<[^>]*>")


def excerpt(rendered: str, limit: int = 120) -> str:
    """The first words of sanitised HTML as plain text (tags dropped, spaces folded), cut at a
    word before ``limit`` characters with an ellipsis: a folded comment's first line."""
    text = " ".join(html.unescape(_TAGS.sub(" ", str(rendered))).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:.") + "…"
