from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from mab.forms import choices, int_or_none
from mab.meetings.models import (  # noqa: F401  (the labels live beside their enums)
    KIND_LABELS, RSVP_LABELS, ATTENDANCE_LABELS, MEETING_STATUS_LABELS as STATUS_LABELS, MINUTES_LABELS,
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MeetingForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()))
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired(message=_l("Give a date and time."))])
    ends_at = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M",
                                 validators=[InputRequired(message=_l("Give a date and time."))])
    place = StringField(_l("Place"), validators=[Length(max=300)])
    online_url = URLField(_l("Online link"), validators=[Optional(), Length(max=500)],
                          description=_l("https://… address of the video call, if any."))
    agenda = TextAreaField(_l("Agenda"), validators=[Length(max=20000)],
                           description=_l("Markdown. Link to pages of the assessment, e.g. "
                                          "[the balance](/a/kz-2022/balance)."))
    confirm_past = BooleanField(_l("Yes, record a meeting that has already taken place"))

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The meeting must end after it starts."))

    def validate_online_url(self, field):
        value = (field.data or "").strip()
        field.data = value
        if value and not (value.startswith("https://") or value.startswith("http://")):
            raise ValidationError(_l("Give a web address starting with https://"))
        if value and (" " in value or "." not in value.split("//", 1)[1].split("/")[0]):
            raise ValidationError(_l("This is not a valid web address."))

    def validate_place(self, field):
        if not (field.data or "").strip() and not (self.online_url.data or "").strip():
            raise ValidationError(_l("Give a place, an online link, or both."))


class CancelForm(FlaskForm):
    message = TextAreaField(_l("Message to the invitees (optional)"),
                            validators=[Length(max=2000)],
                            description=_l("Included in the cancellation email, e.g. the reason "
                                           "or what happens instead."))


class InviteesForm(FlaskForm):
    invitees = MultiCheckboxField(_l("Invitees"), coerce=int)


class RsvpForm(FlaskForm):
    answer = SelectField(_l("Your answer"), choices=choices(
        [("yes", _l("Yes, I will attend")), ("maybe", _l("Maybe")),
         ("no", _l("No, I cannot attend"))]))


class RemindForm(FlaskForm):
    invitations = MultiCheckboxField(_l("Pending invitees"), coerce=int)


class ActionItemForm(FlaskForm):
    class Meta:
        csrf = False

    text = StringField(_l("Action"), validators=[Length(max=500)])
    owner_id = SelectField(_l("Owner"), coerce=int_or_none, validators=[Optional()])
    due_on = DateField(_l("Due"), validators=[Optional()])
    done = BooleanField(_l("Done"))


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Minutes"), validators=[Length(max=100000)],
                            description=_l("Markdown. The attendance list is added "
                                           "automatically."))
    decisions = TextAreaField(_l("Decisions"), validators=[Length(max=20000)],
                              description=_l("One decision per line."))
    items = FieldList(FormField(ActionItemForm), min_entries=1)


class ApproveForm(FlaskForm):
    approved_in = SelectField(_l("Approved at the meeting of"), coerce=int_or_none,
                              validators=[InputRequired()])
