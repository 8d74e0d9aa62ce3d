from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    AnyOf,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from mab.forms import choices
from mab.i18n import GENDER_LABELS, LANGUAGE_NAMES, is_valid_timezone


def language_choices():
    return choices(LANGUAGE_NAMES.items())


def gender_choices():
    return choices([("", _l("Not stated")), *GENDER_LABELS.items()])


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class NewPasswordMixin:
    password = PasswordField(_l("New password"), validators=[InputRequired()],
                             description=_l("At least 10 characters; not a common password."))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    # No language field: the account takes the page's language, chosen with the footer's
    # selector (one selector per page) or named by the emailed link.
    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=200)])


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(check_deliverability=False),
                                                Length(max=254)])


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    language = SelectField(_l("Language"), choices=language_choices)
    gender = SelectField(_l("Gender"), choices=gender_choices, validators=[Optional()],
                         description=_l("Self-described. Used only in aggregate to check the "
                                        "board's balance; you may prefer not to say."))
    timezone = StringField(_l("Your timezone (optional)"), validators=[Length(max=64)],
                           description=_l("An IANA name such as Europe/Paris. Meeting times are "
                                          "also shown in it when it differs from the "
                                          "assessment's."))

    def validate_timezone(self, field):
        field.data = (field.data or "").strip()
        if field.data and not is_valid_timezone(field.data):
            raise ValidationError(_l("Unknown timezone. Use a name such as Asia/Almaty or "
                                     "Europe/Paris."))


class NotificationsForm(FlaskForm):
    comment_emails = RadioField(_l("Emails about comments"), choices=choices([
        ("immediate", _l("An email for each new comment, reply or response")),
        ("daily", _l("One daily digest"))]), validators=[InputRequired()])


class PasswordChangeForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=language_choices)
    remember = BooleanField(_l("Also use this language for my emails and future sign-ins"))
    next = HiddenField()


class AccountActiveForm(FlaskForm):
    """Disable ("0") or enable ("1") an account: the site admin's button."""
    active = HiddenField(validators=[AnyOf(["0", "1"])])
