"""Form helpers shared by every feature."""
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """``[(value, label), ...]`` as WTForms choices (labels may be lazy strings)."""
    return [SelectChoice(value, label) for value, label in pairs]


def int_or_none(value):
    """Coerce a select's value: an id, or None for the empty choice."""
    return int(value) if value not in (None, "", "None") else None


class CsrfForm(FlaskForm):
    """A form with nothing but its CSRF token: for buttons such as withdraw, remind, save all."""
