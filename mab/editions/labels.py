"""Editions in words, the same on every page: an edition's status ("Complete", "12 of 15
paragraphs", "3 outdated", "Not started", "Source") and a language's name (never a bare code)."""
from flask_babel import gettext as _

from mab.i18n import LANGUAGE_NAMES


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def status_words(summary) -> str:
    """An edition's status (an ``editions.rules.Summary``) in words."""
    if summary.source:
        return _("Source")
    if summary.complete:
        return _("Complete")
    if not summary.translated:
        return _("Not started")
    words = _("%(n)d of %(total)d paragraphs", n=summary.current, total=summary.total)
    if summary.outdated:
        words += " · " + _("%(n)d outdated", n=summary.outdated)
    return words


def named(summaries) -> str:
    """Editions with their status, "Қазақша (12 of 15 paragraphs), English (Not started)":
    for messages and confirmations."""
    return ", ".join(f"{language_name(s.language)} ({status_words(s)})" for s in summaries)
