"""Forms of the translation editor, and the words for an edition's and a paragraph's status."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

PARAGRAPH_STATUS_LABELS = {"missing": _l("Missing"), "current": _l("Current"),
                           "outdated": _l("Outdated")}


class ParagraphForm(FlaskForm):
    """One paragraph's translation; ``revision`` is the edition's as the page was loaded."""
    block_id = HiddenField(validators=[InputRequired()])
    revision = HiddenField()
    text = TextAreaField(_l("Translation"), validators=[Length(max=100000)])


class MachineForm(FlaskForm):
    machine_assisted = BooleanField(_l("Machine translation was used in this edition"))
    revision = HiddenField()


def revision_of(form) -> int:
    try:
        return int(form.revision.data or 0)
    except ValueError:
        return -1   # never an edition's revision: a conflict, nothing saved


def summary_text(summary) -> str:
    """"Source", "Complete", "Not started", or "12 of 15 paragraphs" (and "3 outdated")."""
    if summary.source:
        return _("Source")
    if summary.complete:
        return _("Complete")
    if summary.translated == 0:
        return _("Not started")
    text = _("%(n)d of %(total)d paragraphs", n=summary.current, total=summary.total)
    if summary.outdated:
        text += " · " + _("%(n)d outdated", n=summary.outdated)
    return text
