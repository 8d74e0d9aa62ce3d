"""The form that uploads a translator's file (XLIFF or CSV) back into an edition."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired

EXTENSIONS = ["xlf", "xliff", "csv"]


class ImportForm(FlaskForm):
    file = FileField(_l("Translated file"), validators=[
        FileRequired(_l("Choose the translated file.")),
        FileAllowed(EXTENSIONS, _l("The file must be an XLIFF file (.xlf or .xliff) or a CSV "
                                   "file (.csv)."))],
        description=_l("The XLIFF or CSV file exported from this page, with its translations "
                       "filled in."))
