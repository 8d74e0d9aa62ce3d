"""The confirmation step of an irreversible or mass-mailing action, without JavaScript.

The action's POST without ``confirm=1`` changes nothing: the view answers (status 200) with
:func:`confirm_page`, which names the consequences with their figures and holds a form that posts
the same values again, with the CSRF token and ``confirm=1``. Keyboard users and browsers without
JavaScript go through the same two steps; the figures come from the feature's services.
"""
from collections.abc import Iterable, Mapping

from flask import render_template, request

CONFIRM_FIELD = "confirm"


def confirmed() -> bool:
    """Whether this POST carries the confirmation of the page :func:`confirm_page` showed."""
    return request.form.get(CONFIRM_FIELD) == "1"


def confirm_page(*, title: str, consequences: Iterable[str], action: str, confirm_label: str,
                 back_url: str, assessment=None, intro: str = "",
                 hidden: Mapping[str, object] | None = None, fields: Iterable = (),
                 danger: bool = True, notice: str = "", status: int = 200):
    """The page of ``templates/confirm.html``: ``consequences`` are sentences with figures;
    ``hidden`` the original values posted again; ``fields`` WTForms fields the person may still
    fill in (a message to the invitees); ``notice`` a warning above the list (the figures
    changed since the last page)."""
    return render_template(
        "confirm.html", title=title, consequences=list(consequences), action=action,
        confirm_label=confirm_label, back_url=back_url, assessment=assessment, intro=intro,
        hidden={k: "" if v is None else v for k, v in (hidden or {}).items()},
        fields=list(fields), danger=danger, notice=notice), status
