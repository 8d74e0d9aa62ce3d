from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mab.comments.models import MAX_BODY, MAX_QUOTE
from mab.forms import choices, int_or_none
from mab.comments.models import (  # noqa: F401  (the labels live beside their enums)
    DISPOSITION_LABELS,
)

BODY_TOO_LONG = _l("A comment can be at most %(max)d characters.")
QUOTE_TOO_LONG = _l("A quote can be at most %(max)d characters.")


def _body(label):
    return TextAreaField(label, validators=[InputRequired(_l("Write your comment.")),
                                            Length(max=MAX_BODY, message=BODY_TOO_LONG)],
                         description=_l("Markdown: *italic*, **bold**, lists, links."))


class CommentForm(FlaskForm):
    block_id = HiddenField()
    language = HiddenField()    # the edition the author was reading (services.language_of)
    quote = StringField(_l("Passage you comment on (optional)"),
                        validators=[Length(max=MAX_QUOTE, message=QUOTE_TOO_LONG)],
                        description=_l("Copy the words from the paragraph, or select them "
                                       "before opening this form."))
    body = _body(_l("Your comment"))


class ReplyForm(FlaskForm):
    language = HiddenField()
    body = _body(_l("Your reply"))


class TranslationForm(FlaskForm):
    """The research team's translation of a comment; the view sets the language choices."""
    translation = TextAreaField(_l("Translation"), validators=[
        InputRequired(_l("Write the translation.")),
        Length(max=MAX_BODY, message=_l("A translation can be at most %(max)d characters."))],
        description=_l("Markdown: *italic*, **bold**, lists, links."))
    # Checked by services.translate (its own words for the comment's language), not as a choice.
    translation_language = SelectField(_l("Language of the translation"), validate_choice=False,
                                       validators=[InputRequired(
                                           _l("Choose the language of the translation."))])


class EditCommentForm(FlaskForm):
    quote = StringField(_l("Passage you comment on (optional)"),
                        validators=[Length(max=MAX_QUOTE, message=QUOTE_TOO_LONG)])
    body = _body(_l("Your comment"))


class DispositionForm(FlaskForm):
    disposition = SelectField(_l("Disposition"), validators=[InputRequired(
        _l("Choose how the comment was handled."))],
        choices=choices([("", "—")] + list(DISPOSITION_LABELS.items())))
    response = TextAreaField(_l("Response to the commenter"), validators=[
        InputRequired(_l("Write the response the commenter will read.")),
        Length(max=MAX_BODY, message=_l("A response can be at most %(max)d characters."))])
    addressed_in = SelectField(_l("Addressed in version"), coerce=int_or_none,
                               validators=[Optional()])


class VerdictForm(FlaskForm):
    satisfied = HiddenField()


class DeadlineForm(FlaskForm):
    deadline = DateField(_l("New deadline"), validators=[InputRequired(_l("Give a date."))])


class MatrixForm(FlaskForm):
    class Meta:
        csrf = False

    draft = SelectField(_l("Draft"), coerce=int_or_none, validators=[Optional()])
    group = SelectField(_l("Commenter's group"), coerce=int_or_none, validators=[Optional()])
    disposition = SelectField(_l("Disposition"), validators=[Optional()], choices=choices(
        [("", _l("Any")), ("open", _l("Open (no response yet)"))]
        + list(DISPOSITION_LABELS.items())))
    # The language the comment was written in; choices: the assessment's languages (the view).
    language = SelectField(_l("Written in"), validators=[Optional()])
