"""Forms of a validation workshop's recommendations: the agenda, a position, carrying them."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from mab.forms import choices
from mab.recommendations.models import POSITION_LABELS
from mab.recommendations.workshop_services import MAX_WORDING


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def key_value(draft_id: int, block_id: str) -> str:
    """A recommendation as a checkbox's value: "<draft id>:<paragraph id>"."""
    return f"{draft_id}:{block_id}"


class AgendaForm(FlaskForm):
    # No choice check here: set_agenda() says what is wrong with a recommendation that is not
    # one of the assessment's latest circulated ones.
    keys = MultiCheckboxField(_l("Recommendations to discuss"), validate_choice=False)

    def pairs(self) -> list[tuple[int, str]] | None:
        """The chosen recommendations as (draft id, paragraph id), None when a value is not
        one (a forged form)."""
        result = []
        for value in self.keys.data or []:
            draft_id, _sep, block_id = str(value).partition(":")
            if not draft_id.isdigit() or not block_id:
                return None
            result.append((int(draft_id), block_id))
        return result


class PositionForm(FlaskForm):
    position = RadioField(_l("The board's position"), choices=choices(POSITION_LABELS.items()),
                          validators=[InputRequired(_l("Choose the board's position."))])
    amended_text = TextAreaField(
        _l("New wording"), validators=[Length(max=MAX_WORDING)],
        description=_l("Only when the recommendation is amended: its wording as agreed, one "
                       "paragraph."))
