from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from mab.assessments.models import Role
from mab.assessments.rules import slug_problem
from mab.forms import choices
from mab.i18n import LANGUAGE_NAMES, ROLE_LABELS, is_valid_timezone


class AssessmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    slug = StringField(_l("Short name for addresses"), validators=[InputRequired(), Length(max=60)],
                       description=_l("Lowercase letters, digits and hyphens, e.g. kz-2022."))
    country = StringField(_l("Country"), validators=[InputRequired(), Length(max=100)])
    year = IntegerField(_l("Year"), default=lambda: date.today().year,
                        validators=[InputRequired(), NumberRange(min=1990, max=2100)])
    timezone = StringField(_l("Timezone"), default="UTC",
                           validators=[InputRequired(), Length(max=64)],
                           description=_l("An IANA timezone name, e.g. Asia/Almaty."))
    languages = SelectMultipleField(_l("Languages"), choices=choices(LANGUAGE_NAMES.items()),
                                    default=["en"], validators=[InputRequired()])
    coordinator_email = EmailField(_l("Coordinator's email"), validators=[
        InputRequired(), Email(check_deliverability=False), Length(max=254)])
    coordinator_name = StringField(_l("Coordinator's name"), validators=[Length(max=200)])

    def validate_slug(self, field):
        field.data = (field.data or "").strip().lower()
        problem = slug_problem(field.data)
        if problem == "reserved":
            raise ValidationError(_l("This name is reserved; choose another."))
        if problem:
            raise ValidationError(_l("Use lowercase letters, digits and single hyphens only."))

    def validate_timezone(self, field):
        field.data = (field.data or "").strip()
        if not is_valid_timezone(field.data):
            raise ValidationError(_l("Unknown timezone. Use a name such as Asia/Almaty or Europe/Paris."))


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(check_deliverability=False),
                                                Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=choices((r.value, ROLE_LABELS[r.value]) for r in Role),
                       default=Role.BOARD_MEMBER.value)
    language = SelectField(_l("Language of the invitation"), choices=choices(LANGUAGE_NAMES.items()))
