from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mab.forms import choices, int_or_none
from mab.validation.services import MAX_STATEMENT
from mab.validation.models import (  # noqa: F401  (the labels live beside their enums)
    DECISION_LABELS,
)


def _statement():
    return TextAreaField(_l("Statement"), validators=[Length(max=MAX_STATEMENT)],
                         description=_l("Required with reservations or an objection; published "
                                        "with the certificate."))


class OpenRoundForm(FlaskForm):
    # No choice check here: open_round() checks the version and the meeting and says what is
    # wrong (not circulated, superseded, already in a round, another assessment's), where a
    # choice check could only say "Not a valid choice".
    version_id = SelectField(_l("Version to validate"), coerce=int_or_none,
                             validators=[InputRequired(_l("Choose a circulated version."))],
                             validate_choice=False)
    deadline = DateField(_l("Sign-offs due by"), validators=[InputRequired(_l("Give a date."))])
    meeting_id = SelectField(_l("Validation workshop (optional)"), coerce=int_or_none,
                             validators=[Optional()], validate_choice=False)


class SignForm(FlaskForm):
    decision = RadioField(_l("Your decision"), choices=choices(DECISION_LABELS.items()),
                          validators=[InputRequired(_l("Choose your decision."))])
    statement = _statement()
    confirm = BooleanField(_l("I have read this exact version and this is my decision."),
                           validators=[InputRequired(_l("Confirm that this decision is about "
                                                        "this exact version."))])
    sha256 = HiddenField()
    replaces = HiddenField()


class OnBehalfForm(FlaskForm):
    membership_id = SelectField(_l("Board member"), coerce=int_or_none,
                                validators=[InputRequired(_l("Choose the member."))])
    decision = SelectField(_l("Decision"), choices=choices([("", "—")] + list(
        DECISION_LABELS.items())), validators=[InputRequired(_l("Choose the decision."))])
    statement = _statement()
    meeting_id = SelectField(_l("Meeting where it was given"), coerce=int_or_none,
                             validators=[InputRequired(_l("Name the meeting where the member "
                                                          "gave this decision."))])


class CloseForm(FlaskForm):
    # Shown on the confirmation page with the figures the outcome will have. The view makes
    # ``reason`` required before the deadline and ``workshop`` when the workshop was not held;
    # close_round() checks both again.
    reason = TextAreaField(_l("Why close before the deadline?"),
                           validators=[Length(max=MAX_STATEMENT)],
                           description=_l("Kept with the round and printed on the certificate."))
    workshop = RadioField(_l("The validation workshop"), validators=[Optional()],
                          validate_choice=False)
    confirm = BooleanField(_l("I understand that closing is final."),
                           validators=[InputRequired(_l("Confirm that closing is final."))])
    seen = HiddenField()


EARLY_REASON_REQUIRED = _l("Give the reason for closing before the deadline: it is kept with the "
                           "round and printed on the certificate.")
WORKSHOP_CHOICE_REQUIRED = _l("Choose: remove the link to the workshop, or confirm that it was "
                              "not held.")
