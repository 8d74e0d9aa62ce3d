from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mab.assessments.access import assessment_view
from mab.drafts.forms import IndicatorImportForm, ScopeForm
from mab.extensions import db
from mab.framework import csvio, queries, services
from mab.framework.models import Framework
from mab.permissions import Action, can

bp = Blueprint("framework", __name__, url_prefix="/a/<slug>")


@bp.get("/framework")
@assessment_view(Action.VIEW)
def index(assessment):
    from flask import g
    manager = can(g.membership.role, Action.MANAGE_BOARD)
    if assessment.framework_id is None and manager:
        services.ensure_builtin()
        db.session.commit()
    framework, categories, total = queries.catalogue(assessment, search=request.args.get("q", ""))
    scope = ScopeForm(framework_id=assessment.framework_id,
                      scope="core" if assessment.core_only else "all")
    scope.framework_id.choices = [(f.id, f"{f.name} {f.version}") for f in queries.frameworks()]
    return render_template("framework/index.html", assessment=assessment, framework=framework,
                           categories=categories, total=total, manager=manager, scope_form=scope,
                           import_form=IndicatorImportForm(), q=request.args.get("q", ""),
                           errors=[])


@bp.post("/framework/scope")
@assessment_view(Action.MANAGE_BOARD)
def scope(assessment):
    form = ScopeForm()
    form.framework_id.choices = [(f.id, f.name) for f in queries.frameworks()]
    if not form.validate_on_submit():
        abort(400)
    services.set_scope(assessment, db.session.get(Framework, form.framework_id.data),
                       form.scope.data == "core", actor=current_user)
    db.session.commit()
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
            counts = services.import_indicators(framework, rows,
                                                attribution=form.attribution.data or "",
                                                actor=current_user, assessment=assessment)
            db.session.commit()
            flash(_("Imported: %(added)d new indicators, %(updated)d updated.", **counts),
                  "success")
            return redirect(url_for("framework.index", slug=assessment.slug))
    fw, categories, total = queries.catalogue(assessment)
    scope = ScopeForm(framework_id=assessment.framework_id,
                      scope="core" if assessment.core_only else "all")
    scope.framework_id.choices = [(f.id, f"{f.name} {f.version}") for f in queries.frameworks()]
    return render_template("framework/index.html", assessment=assessment, framework=fw,
                           categories=categories, total=total, manager=True, scope_form=scope,
                           import_form=form, q="", errors=errors), 422
