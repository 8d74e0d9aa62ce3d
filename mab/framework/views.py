from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mab.assessments.access import assessment_view
from mab.boundary import domain_errors, flash_errors
from mab.framework.forms import IndicatorImportForm, ScopeForm
from mab.extensions import db
from mab.framework import csvio, queries, services
from mab.framework.models import Framework
from mab.permissions import Action, can

bp = Blueprint("framework", __name__, url_prefix="/a/<slug>")


def _page(assessment, *, manager, import_form=None, errors=(), q="", status=200):
    framework, categories, total = queries.catalogue(
        assessment, search=q, sees_uncirculated=can(g.membership.role, Action.READ_UNCIRCULATED))
    scope = ScopeForm(framework_id=assessment.framework_id,
                      scope="core" if assessment.core_only else "all")
    scope.framework_id.choices = queries.framework_choices(assessment)
    return render_template("framework/index.html", assessment=assessment, framework=framework,
                           provenance=queries.provenance(framework, assessment),
                           categories=categories, total=total, manager=manager, scope_form=scope,
                           import_form=import_form or IndicatorImportForm(), q=q,
                           errors=list(errors)), status


@bp.get("/framework")
@assessment_view(Action.READ_CIRCULATED)
def index(assessment):
    from flask import g
    manager = can(g.membership.role, Action.MANAGE_BOARD)
    if assessment.framework_id is None and manager:
        services.offer_builtin()
    return _page(assessment, manager=manager, q=request.args.get("q", ""))


@bp.post("/framework/scope")
@assessment_view(Action.MANAGE_BOARD)
def scope(assessment):
    form = ScopeForm()
    # Only the shared frameworks and this assessment's own: another's id is not a choice.
    form.framework_id.choices = queries.framework_choices(assessment)
    if not form.validate_on_submit():
        abort(400)
    with domain_errors() as choosing:
        services.set_scope(assessment, db.session.get(Framework, form.framework_id.data),
                           form.scope.data == "core", actor=current_user)
    if not choosing:
        abort(400)
    flash(_("The framework and scope are saved."), "success")
    return redirect(url_for("framework.index", slug=assessment.slug))


@bp.post("/framework/import")
@assessment_view(Action.MANAGE_BOARD)
def import_indicators(assessment):
    form = IndicatorImportForm()
    framework = db.session.get(Framework, assessment.framework_id) if assessment.framework_id \
        else None
    if framework is None:
        flash(_("Choose a framework first."), "error")
        return redirect(url_for("framework.index", slug=assessment.slug))
    errors = []
    if form.validate_on_submit():
        rows, errors = csvio.parse_indicators(form.file.data.read(),
                                              themes=services.theme_categories(framework))
        if not errors:
            with flash_errors() as importing:
                counts = services.import_for_assessment(
                    assessment, rows, attribution=form.attribution.data or "",
                    actor=current_user)
            if not importing:
                return redirect(url_for("framework.index", slug=assessment.slug))
            if counts["copied"] is not None:
                label = " ".join((framework.name, framework.version))
                flash(_("Your assessment now has its own copy of %(name)s: this import and "
                        "the next ones change only your copy, never another assessment's "
                        "catalogue.", name=label), "info")
            flash(_("Imported: %(added)d new indicators, %(updated)d updated.",
                    added=counts["added"], updated=counts["updated"]), "success")
            return redirect(url_for("framework.index", slug=assessment.slug))
    return _page(assessment, manager=True, import_form=form, errors=errors, status=422)
