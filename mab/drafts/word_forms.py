"""The Word import's forms: the upload, and the save after the preview."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length


class WordUploadForm(FlaskForm):
    file = FileField(_l("Word document"), validators=[FileRequired(_l("Choose a Word document "
                                                                       "(.docx)."))],
                     description=_l("A .docx file. Nothing is saved until you have seen the "
                                    "preview and chosen to save it."))
    # The version the researcher saw when opening the form: another's save meanwhile is an
    # edit conflict, not overwritten.
    base_revision = HiddenField()
    base_number = HiddenField()


class WordSaveForm(FlaskForm):
    change_summary = TextAreaField(_l("What changed"), validators=[Length(max=5000)])
