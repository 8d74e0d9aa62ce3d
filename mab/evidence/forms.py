"""The evidence register's forms: their shape and field errors (the services check the rest)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from mab.evidence.models import DATA_STATUS_LABELS, SOURCE_KIND_LABELS
from mab.forms import choices, int_or_none

# "Not yet assessed" is no status at all (stored as none).
DATA_STATUS_CHOICES = [("", _l("Not yet assessed"))] + list(DATA_STATUS_LABELS.items())


class SourceForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        InputRequired(_l("Give the source a title.")), Length(max=500)])
    publisher = StringField(_l("Publisher"), validators=[Length(max=300)],
                            description=_l("Who published the data: an office, an agency, an "
                                           "organisation."))
    data_year = IntegerField(_l("Year of the data"), validators=[
        Optional(), NumberRange(min=0, max=9999, message=_l("Give a year in four digits."))],
        description=_l("The year the data describe, e.g. 2021."))
    kind = SelectField(_l("Kind of source"), choices=choices(SOURCE_KIND_LABELS.items()),
                       default="other")
    url = StringField(_l("Link"), validators=[Length(max=1000)],
                      description=_l("A web address starting with http:// or https://."))
    file = FileField(_l("File"), description=_l("Optional: a copy of the document. PDF, DOCX, "
                                                "ODT, XLSX, ODS, CSV, PNG or JPEG."))
    remove_file = BooleanField(_l("Remove the attached file"))
    verification = TextAreaField(_l("Means of verification"), validators=[Length(max=5000)],
                                 description=_l("How a reader can check the data: the table, "
                                                "page or question where they are found."))
    gender_disaggregated = BooleanField(_l("The data are disaggregated by gender"))
    other_dimensions = StringField(_l("Other dimensions of disaggregation"),
                                   validators=[Length(max=300)],
                                   description=_l("For example: age, region, urban or rural."))
    # The view sets the choices (the framework's indicators); the service checks them, so that
    # an indicator of another framework is refused with its own message.
    indicators = SelectMultipleField(_l("Indicators it serves"), coerce=int,
                                     validate_choice=False)


class IndicatorEvidenceForm(FlaskForm):
    data_status = SelectField(_l("Data status"), choices=choices(DATA_STATUS_CHOICES))
    quality_note = TextAreaField(_l("Note on the quality of the data"),
                                 validators=[Length(max=10000)],
                                 description=_l("Coverage, reliability, gaps, how recent the "
                                                "data are."))


class LinkForm(FlaskForm):
    source_id = SelectField(_l("Data source"), coerce=int_or_none, validate_choice=False,
                            validators=[InputRequired(_l("Choose a source."))])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by title or publisher"), validators=[Length(max=100)])
