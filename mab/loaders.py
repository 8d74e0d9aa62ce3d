"""Scoped loading: find an object by id and prove it belongs to the assessment, in one query.

In the spirit of Redash's ``get_object_or_404(Query.get_by_id_and_org, id, org)``: a view never
loads an object by the id in its URL or form and then compares ``assessment_id`` by hand::

    meeting = get_or_404(Meeting, meeting_id, assessment)
    version = get_or_404(DraftVersion, version_id, assessment, joinedload(DraftVersion.draft))

An object of another assessment is not found: 404 in a view (:func:`get_or_404`), ``None`` in a
service (:func:`get_scoped`), which then refuses with its own message. An object the caller has
already (a form's choice, a relationship) is checked with :func:`in_assessment`.

A model with an ``assessment_id`` column belongs directly. A child object (a version, an
attachment, a meeting invitation, a sign-off, ...) belongs through its parent: ``PARENTS`` names
the relationship that leads there, and the check follows it (an ``EXISTS`` per step).
"""
from flask import abort
from sqlalchemy import ColumnElement, select

from mab.extensions import db

# Child model name -> the relationship towards the object that carries ``assessment_id``.
PARENTS: dict[str, str] = {
    "DraftVersion": "draft",
    "Attachment": "version",
    "Circulation": "version",
    "CommentRevision": "comment",
    "Invitation": "meeting",
    "ActionItem": "meeting",
    "SignOff": "round",
    "Recommendation": "version",
    "WorkshopItem": "meeting",
}


def belongs_to(model, assessment) -> ColumnElement[bool]:
    """The condition "a ``model`` row belongs to ``assessment``", for a ``where()``."""
    if "assessment_id" in model.__table__.c:
        return model.assessment_id == assessment.id
    try:
        relationship = getattr(model, PARENTS[model.__name__])
    except KeyError:
        raise TypeError(f"{model.__name__} has no assessment_id and no path to one in "
                        "mab.loaders.PARENTS") from None
    return relationship.has(belongs_to(relationship.property.mapper.class_, assessment))


def in_assessment(obj, assessment) -> bool:
    """Whether an object already loaded belongs to ``assessment`` (following ``PARENTS``)."""
    while "assessment_id" not in type(obj).__table__.c:
        obj = getattr(obj, PARENTS[type(obj).__name__])
    return obj.assessment_id == assessment.id


def get_scoped(model, id, assessment, *options):
    """The ``model`` row ``id`` if it belongs to ``assessment``, else None (``options`` load
    what the caller needs with it)."""
    if id is None:
        return None
    return db.session.scalar(
        select(model).where(model.id == id, belongs_to(model, assessment)).options(*options))


def get_or_404(model, id, assessment, *options):
    """The ``model`` row ``id`` of ``assessment``; 404 when there is none or it is another's."""
    obj = get_scoped(model, id, assessment, *options)
    if obj is None:
        abort(404)
    return obj


def own_or_404(model, id, user):
    """An object of the signed-in person's own (a session, an invitation): 404 for anyone else's,
    so its existence does not leak."""
    obj = db.session.get(model, id)
    if obj is None or obj.user_id != user.id:
        abort(404)
    return obj
