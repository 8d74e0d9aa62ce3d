"""Domain errors and the error pages, all rendered in the site layout."""
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError


class DomainError(Exception):
    """A rule refused an action; the message is shown to the user as it is."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


ERRORS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("Your role in this assessment does not allow this.")),
    404: (_l("Page not found"), _l("There is no such page, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("The upload is larger than this site accepts. Please send a smaller file.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Please wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Nothing was saved; please try again.")),
}


def error_page(code: int, message=None):
    """The error page for ``code``, in the site layout (a feature's own handler may use it)."""
    title, text = ERRORS[code]
    return render_template("errors/error.html", code=code, title=title,
                           message=message or text), code


def register(app: Flask) -> None:
    for code in ERRORS:
        app.register_error_handler(code, lambda error, code=code: _error(error, code))
    app.register_error_handler(CSRFError, _csrf_error)


def _error(error, code):
    if code == 500:
        from mab.extensions import db
        db.session.rollback()
    return error_page(code)


def _csrf_error(error):
    return error_page(400, _l("Your form expired or was sent from elsewhere. Please reload the page "
                         "and submit it again."))
