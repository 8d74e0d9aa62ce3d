"""Every template filter, registered in one place (``register`` is called by ``create_app``).

The filters that only shape text for a page live here; the ones that format dates and times
live in :mod:`mab.i18n`, Markdown in :mod:`mab.markdown`.
"""
import re

from flask import Flask, g
from flask_login import current_user
from flask_babel import gettext as _
from markupsafe import Markup, escape

from mab import i18n
from mab.links import absolute_url
from mab.drafts.forms import STATUS_LABELS as DRAFT_STATUS_LABELS
from mab.drafts.models import SUBJECT_LABELS
from mab.editions import labels as edition_labels
from mab.meetings.models import (
    ATTENDANCE_LABELS, KIND_LABELS, MEETING_STATUS_LABELS, MINUTES_LABELS, RSVP_LABELS)
from mab.meetings.tokens import calendar_token
from mab.permissions import Action, can
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


def version_status(status) -> str:
    """A version's or draft's status (``drafts.rules.VersionStatus``) in words, the same on every
    page: "In consultation until 18 Dec 2026" (the date in the reader's language), "Validated"."""
    label = str(DRAFT_STATUS_LABELS[status.code])
    return label % {"date": i18n.date_filter(status.until)} if "%(date)s" in label else label


FILTERS = {
    "markdown": render_markdown,
    "segments": segments,
    "hide_links": hide_links,
    "linkify": linkify,
    # Dates and times (mab/i18n.py): one helper each, no seconds, four-digit years.
    "in_tz": i18n.in_timezone,
    "datetime": i18n.datetime_filter,
    "date": i18n.date_filter,
    "time": i18n.time_filter,
    "interval": i18n.interval_filter,
    "version_status": version_status,
    # An edition's status ("Complete", "12 of 15 paragraphs", "Not started", "Source") and a
    # content language's name (mab/editions/labels.py): the same words on every page.
    "edition_status": edition_labels.status_words,
    "language_name": edition_labels.language_name,
    # A stakeholder group's name or a framework item's title in the reader's language, else
    # the assessment's first, else the stored one (mab/i18n.py); a percentage in the locale's
    # style ("35.7%", "35,7 %").
    "localized": i18n.display_name,
    "percent": i18n.percent,
}


def _role():
    membership = g.get("membership")
    return membership.role if membership is not None else None


def _calendar_feed_link() -> str:
    """The personal feed's address on BASE_URL (never the Host header the request came with)."""
    return absolute_url("meetings.feed", token=calendar_token(current_user))


def page_context() -> dict:
    """What every page may use besides the filters: ``can('edit_drafts')`` for the member's role
    in the current assessment, the label tables of the enums, the personal calendar link."""
    return {
        "can": lambda action: can(_role(), action), "Action": Action,
        "calendar_feed_link": _calendar_feed_link,
        "absolute_url": absolute_url,
        "kind_labels": KIND_LABELS, "rsvp_labels": RSVP_LABELS,
        "attendance_labels": ATTENDANCE_LABELS, "meeting_status_labels": MEETING_STATUS_LABELS,
        "minutes_labels": MINUTES_LABELS,
        "subject_labels": SUBJECT_LABELS,
    }


def register(app: Flask) -> None:
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    app.add_template_global(condition_text)
    app.add_template_global(i18n.timezone_name)
    app.context_processor(page_context)
