"""Languages, timezones and formatting helpers for templates."""
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, available_timezones

from babel import core as babel_core
from babel import dates as babel_dates
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_timezone, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mab.assessments.models import (  # noqa: F401  (the labels live beside their enums)
    ROLE_LABELS, PHASE_LABELS, BOARD_STATUS_LABELS as STATUS_LABELS,
)
from mab.auth.models import (  # noqa: F401  (the labels live beside their enums)
    GENDER_LABELS,
)

LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


def select_locale() -> str:
    """The page's language: the one chosen in this browser session (the footer's selector, or
    the ``lang`` of an emailed link), then the account's, then the browser's. A choice made on
    the sign-in page therefore outlives signing in; saving it to the account is a separate
    choice (mab.auth.views.set_language)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def choose_language(language: str) -> None:
    """This browser session's language from now on, this very page included."""
    session["language"] = language
    refresh()   # Flask-Babel keeps the locale it has already selected for this request


def follow_link_language() -> None:
    """An emailed link names the language its email was written in (``?lang=kk``): the page it
    opens (on GET), and the rest of the session, follow it; an unknown value is ignored. The
    footer's selector drops ``lang`` from the address it returns to (without_link_language), so
    a choice made on that page holds."""
    language = request.args.get("lang")
    if request.method == "GET" and language in current_app.config["LANGUAGES"]:
        choose_language(language)


def without_link_language(url: str) -> str:
    """A local address without its ``lang`` query parameter."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query)))


def select_timezone() -> str:
    """The assessment's zone on its pages; elsewhere (the outbox, the account) the person's own
    zone when they gave one, else UTC. Pages outside an assessment name the zone they use."""
    assessment = g.get("assessment")
    if assessment is not None:
        return assessment.timezone
    if has_request_context() and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return "UTC"


def timezone_name() -> str:
    """The zone this page shows times in (its IANA name: "Asia/Almaty", "UTC")."""
    return str(get_timezone())


def is_valid_timezone(name: str) -> bool:
    if not name or name not in _zones():
        return False
    try:
        ZoneInfo(name)
    except (KeyError, ValueError):
        return False
    return True


_ZONES: set[str] | None = None


def _zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


def timezone_choices() -> list[str]:
    return sorted(_zones())


RESEARCH_TEAM_LABEL = _l("Research team")   # the coordinator and researchers together


# Dates and times, the same helpers for pages and emails (registered as filters in
# mab/templating.py): a day, a time, a date with its time, and an interval. Every one is in the
# current language (an email is rendered in its recipient's) and in a zone: the one named, or the
# page's (the assessment's, see select_timezone). Never seconds, never a two-digit year: "short"
# dates are given as "medium" ones (21 Jan 2027, 21 янв. 2027 г., 2027 ж. 21 қаң.).
DATE_FORMATS = ("medium", "long", "full")


def _zone(tz: str | None):
    return ZoneInfo(tz) if tz else get_timezone()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _date_format(fmt: str) -> str:
    """A named format, "short" read as "medium"; anything else is a CLDR pattern ("LLLL y")."""
    return "medium" if fmt == "short" else fmt


def _time_skeleton(locale) -> str:
    """The locale's own clock: "hm" (1:00 PM) where its short time has a 12-hour h, else "Hm"."""
    return "hm" if "h" in locale.time_formats["short"].pattern else "Hm"


def _join(locale, fmt: str, date_text: str, time_text: str) -> str:
    """The locale's pattern for a date with a time ("{1}, {0}"), as Babel's format_datetime."""
    pattern = locale.datetime_formats[fmt].replace("'", "")
    return pattern.replace("{0}", time_text).replace("{1}", date_text)


def date_filter(value, fmt: str = "medium", tz: str | None = None) -> str:
    """A day in words. A datetime is first put in the zone (its day there)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = _aware(value).astimezone(_zone(tz)).date()
    return babel_dates.format_date(value, _date_format(fmt), locale=get_locale())


def time_filter(value, tz: str | None = None) -> str:
    """The time of day, without seconds ("13:00", "1:00 PM")."""
    if not value:
        return ""
    return babel_dates.format_time(_aware(value), "short", tzinfo=_zone(tz), locale=get_locale())


def datetime_filter(value, fmt: str = "medium", tz: str | None = None) -> str:
    """A date with its time, without seconds: "Jan 21, 2027, 1:00 PM", "21 янв. 2027 г., 13:00"."""
    if not value:
        return ""
    locale = get_locale()
    fmt = _date_format(fmt) if _date_format(fmt) in DATE_FORMATS else "medium"
    return _join(locale, fmt, date_filter(value, fmt, tz), time_filter(value, tz))


def interval_filter(start, end, tz: str | None = None, fmt: str = "full") -> str:
    """From ``start`` to ``end`` once: the day and both times when they fall on one day
    ("Thursday, 21 January 2027, 10:00–12:00", Babel's format_interval for the times), the two
    dates with their times otherwise, joined by the locale's interval pattern."""
    if not start or not end:
        return datetime_filter(start or end, fmt, tz)
    locale, zone = get_locale(), _zone(tz)
    fmt = _date_format(fmt) if _date_format(fmt) in DATE_FORMATS else "full"
    start, end = _aware(start), _aware(end)
    if start.astimezone(zone).date() == end.astimezone(zone).date():
        times = babel_dates.format_interval(start, end, _time_skeleton(locale), tzinfo=zone,
                                            locale=locale)
        return _join(locale, fmt, date_filter(start, fmt, tz), times)
    pattern = locale.interval_formats.get(None) or "{0} – {1}"
    return pattern.replace("{0}", datetime_filter(start, fmt, tz)) \
        .replace("{1}", datetime_filter(end, fmt, tz))


def in_timezone(value, tz: str, fmt: str = "medium") -> str:
    """``datetime_filter`` in a named zone (the ``in_tz`` filter of the meeting pages)."""
    return datetime_filter(value, fmt, tz)


def register(app: Flask) -> None:
    """The language and time-zone context of every page (the filters: mab.templating)."""

    @app.context_processor
    def language_context():
        return {
            "current_locale": str(get_locale()),
            "language_names": LANGUAGE_NAMES,
            "role_labels": ROLE_LABELS,
            "research_team_label": RESEARCH_TEAM_LABEL,
            "phase_labels": PHASE_LABELS,
            "gender_labels": GENDER_LABELS,
            "status_labels": STATUS_LABELS,
        }


# Percentages, the same helper for pages, messages, charts and emails: the locale's own pattern
# from CLDR via Babel, at most one decimal ("35.7%" in English, "35,7 %" in Russian with a
# no-break space, "35,7%" in Kazakh).
def percent(value, digits: int = 1, locale=None) -> str:
    """``value`` in percent (35.7 for 35.7 %) in the reader's language (or ``locale``'s)."""
    from decimal import Decimal

    from babel.numbers import parse_pattern
    locale = babel_core.Locale.parse(str(locale or get_locale()))
    pattern = parse_pattern(locale.percent_formats[None].pattern)
    pattern.frac_prec = (0, digits)
    return pattern.apply(Decimal(str(value)) / 100, locale)


# Built-in content in the reader's language (issue 15, item 3): a stakeholder group's ``names``
# and a framework item's ``titles`` ({"ru": ..., "kk": ...}) beside the stored ``name``/``title``.
def localized(mapping, fallback: str, locale, languages=()) -> str:
    """The text in the reader's language (``locale``), else in the assessment's first language
    (``languages[0]``), else ``fallback`` (the stored name)."""
    mapping = mapping if isinstance(mapping, dict) else {}
    for code in (str(locale) if locale else None, *list(languages)[:1]):
        value = mapping.get(code) if code else None
        if isinstance(value, str) and value.strip():
            return value
    return fallback


def display_name(obj, assessment=None) -> str:
    """A stakeholder group's name or a framework item's title for the reader (the ``localized``
    filter): in the page's language, else the assessment's first, else the stored one."""
    if obj is None:
        return ""
    if hasattr(obj, "titles"):
        mapping, fallback = obj.titles, obj.title
    else:
        mapping, fallback = getattr(obj, "names", None), obj.name
    if assessment is None and has_request_context():
        assessment = g.get("assessment")
    languages = assessment.language_list if assessment is not None else ()
    return localized(mapping, fallback, get_locale(), languages)
