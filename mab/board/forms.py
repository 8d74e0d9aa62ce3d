from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from mab.forms import choices, int_or_none
from mab.i18n import GENDER_LABELS, LANGUAGE_NAMES, display_name



class BoardMemberFields:
    group_id = SelectField(_l("Stakeholder group"), coerce=int_or_none,
                           validators=[InputRequired()])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    position = StringField(_l("Position"), validators=[Length(max=200)])
    term_start = DateField(_l("Term starts"), validators=[Optional()])
    term_end = DateField(_l("Term ends"), validators=[Optional()])
    coi_declaration = TextAreaField(_l("Conflict-of-interest declaration"),
                                    validators=[Length(max=5000)])
    coi_declared_on = DateField(_l("Declared on"), validators=[Optional()])
    notes = TextAreaField(_l("Coordinator's notes"), validators=[Length(max=5000)],
                          description=_l("Seen only by coordinators."))
    gender = SelectField(_l("Gender (recorded by the coordinator)"), validators=[Optional()],
                         description=_l("Only if the person has not described it themselves; "
                                        "marked as recorded by the coordinator."))

    def set_choices(self, groups, current=None):
        """Retired groups are offered only as the member's ``current`` (saved) group."""
        self.group_id.choices = choices([("", _l("Choose a group"))] +
                                        [(g.id, display_name(g)) for g in groups
                                         if not g.retired or
                                         g.id == current])
        self.gender.choices = choices([("", _l("Not recorded")), *GENDER_LABELS.items()])
        return self

    def validate_term_end(self, field):
        if field.data and self.term_start.data and field.data < self.term_start.data:
            raise ValidationError(_l("The term cannot end before it starts."))


class NewMemberForm(BoardMemberFields, FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(check_deliverability=False),
                                                Length(max=254)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    language = SelectField(_l("Language of the invitation"), choices=choices(LANGUAGE_NAMES.items()))
    status = SelectField(_l("Status"), choices=choices([("active", _l("Active")),
                                                        ("nominee", _l("Nominee"))]))


class EditMemberForm(BoardMemberFields, FlaskForm):
    pass


class StepDownForm(FlaskForm):
    on = DateField(_l("Stepped down on"), validators=[InputRequired()])
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=300)])


class AppointForm(FlaskForm):
    on = DateField(_l("Appointed on"), validators=[InputRequired()])


class GroupForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    min_members = IntegerField(_l("Minimum members"), default=1,
                               validators=[InputRequired(), NumberRange(min=0, max=100)])
    position = IntegerField(_l("Order"), default=10,
                            validators=[InputRequired(), NumberRange(min=0, max=1000)])
    retired = BooleanField(_l("Retired (kept in the record, no longer counted)"))

    def language_fields(self) -> list:
        """The group's name in each language (name_en, name_ru, ...), in a fixed order."""
        return [self[f"name_{code}"] for code in NAME_LABELS if f"name_{code}" in self]

    def names(self) -> dict[str, str]:
        """What was submitted for each language shown ({code: text}; empty: remove it). A field
        left out of the request (not an empty one) keeps the stored name."""
        return {f.name.removeprefix("name_"): (f.data or "").strip()
                for f in self.language_fields() if f.raw_data}


# The label of a group's name in each language of the interface.
NAME_LABELS = {"en": _l("Name in English"), "ru": _l("Name in Russian"),
               "kk": _l("Name in Kazakh")}


def group_form(languages, group=None, **kwargs) -> GroupForm:
    """The group form with one name field per language: the assessment's ``languages`` and any
    language the group already has a name in (so that none is kept out of sight)."""
    stored = dict(group.names or {}) if group is not None else {}
    shown = [code for code in NAME_LABELS if code in languages or code in stored]
    fields = {f"name_{code}": StringField(NAME_LABELS[code], validators=[Length(max=120)],
                                          description=_l("Shown to readers in this language; "
                                                         "empty: the main name is shown."))
              for code in shown}
    form_class = type("GroupFormWithNames", (GroupForm,), fields)
    values = {f"name_{code}": stored.get(code, "") for code in shown}
    return form_class(obj=group, **values, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PolicyForm(FlaskForm):
    gender_min_pct = IntegerField(_l("Lowest share of women, and of men (%)"),
                                  validators=[InputRequired(), NumberRange(min=0, max=100)])
    gender_max_pct = IntegerField(_l("Highest share of women, and of men (%)"),
                                  validators=[InputRequired(), NumberRange(min=0, max=100)])
    undisclosed_max_pct = IntegerField(_l("Highest share of undisclosed gender (%)"),
                                       validators=[InputRequired(), NumberRange(min=0, max=100)])
    group_min_members = IntegerField(_l("Minimum members per group, for new groups"),
                                     validators=[InputRequired(), NumberRange(min=0, max=100)])
    group_max_pct = IntegerField(_l("Highest share of seats for one group (%)"),
                                 validators=[InputRequired(), NumberRange(min=1, max=100)])
    require_dispositions = BooleanField(
        _l("Every comment must have a disposition before a validation round opens"))
    # Translations (issue 18): only on an assessment with more than one content language
    # (``policy_form`` removes them otherwise).
    required_languages = MultiCheckboxField(
        _l("Languages whose translation must be complete before validation"), choices=[])
    validate_complete_only = BooleanField(
        _l("Validate only when required translations are complete"))
    circulate_complete_only = BooleanField(
        _l("Circulate only when every translation is complete"))

    def validate_gender_max_pct(self, field):
        if (self.gender_min_pct.data is not None and field.data is not None
                and self.gender_min_pct.data >= field.data):
            raise ValidationError(_l("The highest share must be above the lowest share."))


TRANSLATION_POLICY = ("required_languages", "validate_complete_only", "circulate_complete_only")


def policy_form(assessment, **kwargs) -> PolicyForm:
    """The policy form of ``assessment``: the required languages are among its content
    languages (a draft's own source language is complete by nature; a draft written in another
    one is translated into it); without a second language there is nothing to translate and
    the translation fields are left out."""
    form = PolicyForm(obj=assessment, **kwargs)
    languages = assessment.language_list
    if len(languages) < 2:
        for name in TRANSLATION_POLICY:
            delattr(form, name)
        return form
    form.required_languages.choices = choices((code, LANGUAGE_NAMES.get(code, code))
                                              for code in languages)
    if not form.is_submitted():
        form.required_languages.data = assessment.required_language_list
    return form


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a CSV file.")),
        FileAllowed(["csv", "txt"], _l("The file must be a CSV file (.csv)."))])


class ConfirmImportForm(FlaskForm):
    payload = HiddenField(validators=[InputRequired()])
    digest = HiddenField(validators=[InputRequired()])


class BalanceForm(FlaskForm):
    class Meta:
        csrf = False

    on = DateField(_l("Composition on"), validators=[Optional()])
    projection = BooleanField(_l("Include the current nominees (projection)"))
