"""Forms of the framework pages: the assessment's scope and the import of indicators."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from mab.forms import choices


class ScopeForm(FlaskForm):
    framework_id = SelectField(_l("Framework"), coerce=int)
    scope = SelectField(_l("Scope"), choices=choices([("core", _l("Core indicators only")),
                                                      ("all", _l("All indicators"))]))


class IndicatorImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
    attribution = TextAreaField(_l("Source and attribution"), validators=[Length(max=2000)],
                                description=_l("Shown on the catalogue page, e.g. the publication "
                                               "and its licence."))
