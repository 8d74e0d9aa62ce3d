"""Languages, timezones and formatting helpers for templates."""
from zoneinfo import ZoneInfo, available_timezones

from babel import dates as babel_dates
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
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
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    assessment = g.get("assessment")
    return assessment.timezone if assessment is not None else "UTC"


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


def in_timezone(value, tz: str, fmt: str = "medium") -> str:
    """Format an aware datetime in a named zone, in the current language."""
    if not value:
        return ""
    return babel_dates.format_datetime(value, fmt, tzinfo=ZoneInfo(tz), locale=get_locale())


def datetime_filter(value, fmt: str = "medium") -> str:
    return format_datetime(value, fmt) if value else ""


def date_filter(value, fmt: str = "medium") -> str:
    return format_date(value, fmt) if value else ""


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
