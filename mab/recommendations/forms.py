"""The register's forms: a new recommendation, and a recommendation's details. The choices are
the assessment's (set by the view); what is chosen is checked again by the services, whose
refusals come back as field errors."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from mab import i18n
from mab.forms import choices, int_or_none
from mab.recommendations.models import PRIORITY_LABELS, TIME_FRAME_LABELS
from mab.recommendations.rules import category_of


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DetailsForm(FlaskForm):
    groups = MultiCheckboxField(_l("Addressed to"), coerce=int, validate_choice=False,
                                choices=[])
    indicators = SelectMultipleField(
        _l("Indicators it rests on"), coerce=int, validate_choice=False, choices=[],
        description=_l("Hold Ctrl (Cmd on a Mac) to choose several."))
    findings = SelectMultipleField(
        _l("Findings it rests on"), coerce=int, validate_choice=False, choices=[],
        description=_l("The drafts whose findings support it. Hold Ctrl (Cmd on a Mac) to "
                       "choose several."))
    priority = SelectField(_l("Priority"), choices=choices(PRIORITY_LABELS.items()),
                           default="medium", validate_choice=False)
    time_frame = SelectField(_l("Time frame"), choices=choices(TIME_FRAME_LABELS.items()),
                             default="medium", validate_choice=False)
    responsible = StringField(_l("Responsible actor"), validators=[Length(max=300)],
                              description=_l("Who is to act on it, e.g. “Ministry of Digital "
                                             "Development”."))


class RecommendationForm(DetailsForm):
    text = TextAreaField(_l("Recommendation"), validators=[Length(max=5000)],
                         description=_l("One paragraph (no blank lines). Markdown."))
    draft_id = SelectField(_l("Recommendations draft"), coerce=int_or_none,
                           validators=[Optional()], validate_choice=False, choices=[])
    change_summary = TextAreaField(
        _l("What changed"), validators=[Length(max=5000)],
        description=_l("The latest version is circulated: the recommendation starts a new "
                       "version, which says what changed."))

    # The fields in the order the page shows them.
    FIELDS = ("text", "groups", "indicators", "findings", "priority", "time_frame",
              "responsible", "draft_id", "change_summary")


class ReviseForm(DetailsForm):
    change_summary = TextAreaField(
        _l("What changed"), validators=[Length(max=5000)],
        description=_l("This version is circulated and keeps its details: saving starts a new "
                       "version with the same text, which says what changed."))


def fill_choices(form: DetailsForm, assessment, *, groups, indicators, findings,
                 chosen=None) -> None:
    """The form's choices: the assessment's groups (not retired, but those already chosen),
    its indicators by category, its findings (drafts)."""
    chosen_groups = set(chosen or ())
    form.groups.choices = [(g.id, i18n.display_name(g, assessment)) for g in groups
                           if not g.retired or g.id in chosen_groups]
    by_category: dict[str, list] = {}
    for item in indicators:
        category = category_of(item)
        label = i18n.display_name(category, assessment) if category is not None else ""
        by_category.setdefault(label, []).append(
            (item.id, f"{item.code} · {i18n.display_name(item, assessment)[:110]}"))
    form.indicators.choices = by_category if len(by_category) > 1 else [
        pair for pairs in by_category.values() for pair in pairs]
    form.findings.choices = [(d.id, d.title) for d in findings]
