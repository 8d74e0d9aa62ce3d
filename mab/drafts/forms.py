from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from mab.forms import choices, int_or_none
from mab.drafts.models import (  # noqa: F401  (the labels live beside their enums)
    SUBJECT_LABELS,
)

# A version's or draft's status (drafts.rules.version_status); shown with the template filter
# ``version_status``, which puts the deadline in the consultation one.
STATUS_LABELS = {"drafting": _l("Drafting"),
                 "in_consultation": _l("In consultation until %(date)s"),
                 "consultation_closed": _l("Consultation closed"),
                 "in_validation": _l("In validation"), "validated": _l("Validated"),
                 "not_validated": _l("Not validated"), "superseded": _l("Superseded")}


class DraftForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    subject = SelectField(_l("About"), choices=choices(SUBJECT_LABELS.items()))
    item_id = SelectField(_l("Indicator, question, theme or chapter"), coerce=int_or_none,
                          validators=[Optional()],
                          description=_l("Not needed for policy recommendations or the whole "
                                         "report."))
    owner_id = SelectField(_l("Owner"), coerce=int_or_none, validators=[Optional()])
    # The assessment's content languages (the view sets the choices, the first by default).
    source_language = SelectField(_l("Written in"), validate_choice=False,
                                  description=_l("The language the text is written in; the "
                                                 "other languages of the assessment are "
                                                 "translations of it."))
    body = TextAreaField(_l("Text"), validators=[Length(max=500000)],
                         description=_l("Markdown. Separate paragraphs with a blank line."))


class EditForm(FlaskForm):
    body = TextAreaField(_l("Text"), validators=[Length(max=500000)],
                         description=_l("Markdown. Separate paragraphs with a blank line."))
    change_summary = TextAreaField(_l("What changed"), validators=[Length(max=5000)])
    base_revision = HiddenField()
    base_number = HiddenField()


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))],
                     description=_l("PDF, DOCX, ODT, XLSX, ODS, CSV, PNG or JPEG."))


class CirculateForm(FlaskForm):
    deadline = DateField(_l("Comments due by"), validators=[InputRequired()])
    message = TextAreaField(_l("Message to the board"), validators=[Length(max=5000)])


class OwnerForm(FlaskForm):
    owner_id = SelectField(_l("Owner"), coerce=int_or_none, validators=[InputRequired()])


class DiffForm(FlaskForm):
    class Meta:
        csrf = False

    a = IntegerField(_l("From version"), validators=[Optional()])
    b = IntegerField(_l("To version"), validators=[Optional()])
