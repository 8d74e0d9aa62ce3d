"""The form of a follow-up update (issue 19 item 5)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mab.forms import choices
from mab.recommendations.followup import MAX_NOTE, MAX_URL
from mab.recommendations.models import FOLLOW_UP_LABELS


class UpdateForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices(FOLLOW_UP_LABELS.items()),
                         validators=[InputRequired(_l("Choose a status."))])
    reported_on = DateField(_l("Status as of"),
                            validators=[InputRequired(_l("Give the date of this status."))],
                            description=_l("The day the recommendation stood so: today or "
                                           "earlier, not before it was validated."))
    note = TextAreaField(_l("What was done"), validators=[Length(max=MAX_NOTE)],
                         description=_l("What happened, who acted, what is still to do."))
    evidence_url = StringField(_l("Evidence link"), validators=[Optional(), Length(max=MAX_URL)],
                               description=_l("A web address (http or https) where the "
                                              "evidence can be read, for instance a published "
                                              "law or a ministry's report."))
    file = FileField(_l("Evidence file"),
                     description=_l("Optional. PDF, DOCX, ODT, XLSX, ODS, CSV, PNG or JPEG."))

