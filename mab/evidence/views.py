"""Pages of the evidence register: sources, each indicator's evidence, citations (issue 19).

Researchers and the coordinator write (EDIT_EVIDENCE); board members and observers read
(READ_EVIDENCE). Every object is loaded scoped to the assessment: an indicator of another
framework, or a source of another assessment, is not found."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from mab.assessments.access import assessment_view
from mab.boundary import flash_errors, form_errors
from mab.confirmation import confirm_page, confirmed
from mab.evidence import files, queries, services
from mab.evidence.forms import IndicatorEvidenceForm, LinkForm, SearchForm, SourceForm
from mab.evidence.models import DATA_STATUS_LABELS, SOURCE_KIND_LABELS, Source
from mab.framework.models import FrameworkItem
from mab.loaders import get_or_404, get_scoped
from mab.permissions import Action, can

bp = Blueprint("evidence", __name__, url_prefix="/a/<slug>")


def _indicator(assessment, item_id) -> FrameworkItem:
    """An indicator of the assessment's framework; 404 for any other item."""
    item = services.indicator_or_none(assessment, item_id)
    if item is None:
        abort(404)
    return item


def _source(assessment, source_id, *options) -> Source:
    return get_or_404(Source, source_id, assessment, *options)


def _labels() -> dict:
    return {"source_kind_labels": SOURCE_KIND_LABELS, "data_status_labels": DATA_STATUS_LABELS}


# --- an indicator's evidence --------------------------------------------------------------------

def _indicator_page(assessment, item, *, form=None, status=200):
    page = queries.indicator_page(assessment, item)
    editor = can(g.membership.role, Action.EDIT_EVIDENCE)
    if form is None and editor:
        evidence = page.evidence
        form = IndicatorEvidenceForm(
            formdata=None,
            data_status=evidence.data_status.value if evidence and evidence.data_status else "",
            quality_note=evidence.quality_note if evidence else "")
    link_form = None
    if editor:
        link_form = LinkForm(formdata=None)
        link_form.source_id.choices = page.others
    return render_template("evidence/indicator.html", assessment=assessment, page=page,
                           form=form, link_form=link_form, editor=editor,
                           **_labels()), status


@bp.get("/framework/<int:item_id>/evidence")
@assessment_view(Action.READ_EVIDENCE)
def indicator(assessment, item_id):
    return _indicator_page(assessment, _indicator(assessment, item_id))


@bp.post("/framework/<int:item_id>/evidence")
@assessment_view(Action.EDIT_EVIDENCE)
def save_indicator(assessment, item_id):
    item = _indicator(assessment, item_id)
    form = IndicatorEvidenceForm()
    if form.validate_on_submit():
        with form_errors(form, "data_status"):
            services.set_indicator_evidence(assessment, item, form.data_status.data or None,
                                            form.quality_note.data or "", actor=current_user)
            flash(_("The data status of %(code)s is saved.", code=item.code), "success")
            return redirect(url_for("evidence.indicator", slug=assessment.slug, item_id=item.id))
    return _indicator_page(assessment, item, form=form, status=422)


def _linked_source(assessment):
    """The source a link or unlink form names (of this assessment), or None with a flash."""
    form = LinkForm()
    source = get_scoped(Source, form.source_id.data, assessment) \
        if form.validate_on_submit() else None
    if source is None:
        flash(_("Choose one of this assessment's sources."), "error")
    return source


@bp.post("/framework/<int:item_id>/evidence/link")
@assessment_view(Action.EDIT_EVIDENCE)
def link(assessment, item_id):
    item = _indicator(assessment, item_id)
    back = url_for("evidence.indicator", slug=assessment.slug, item_id=item.id)
    source = _linked_source(assessment)
    if source is not None:
        with flash_errors():
            if services.link_indicator(source, assessment, item.id, actor=current_user):
                flash(_("%(reference)s now serves %(code)s.", reference=source.reference,
                        code=item.code), "success")
    return redirect(back)


@bp.post("/framework/<int:item_id>/evidence/unlink")
@assessment_view(Action.EDIT_EVIDENCE)
def unlink(assessment, item_id):
    item = _indicator(assessment, item_id)
    back = url_for("evidence.indicator", slug=assessment.slug, item_id=item.id)
    source = _linked_source(assessment)
    if source is not None and services.unlink_indicator(source, assessment, item,
                                                        actor=current_user):
        flash(_("%(reference)s no longer serves %(code)s; the source itself is kept.",
                reference=source.reference, code=item.code), "success")
    return redirect(back)


# --- sources ------------------------------------------------------------------------------------

@bp.get("/sources")
@assessment_view(Action.READ_EVIDENCE)
def sources(assessment):
    form = SearchForm(request.args)
    q = (form.q.data or "").strip()[:100]
    page, counts = queries.sources(assessment, q=q, page=request.args.get("page", 1, type=int))
    return render_template("evidence/sources.html", assessment=assessment, page=page,
                           counts=counts, form=form, q=q,
                           editor=can(g.membership.role, Action.EDIT_EVIDENCE), **_labels())


def _values(form: SourceForm) -> dict:
    """What the services take from the form; the upload as (file name, bytes)."""
    upload = form.file.data
    data = upload.read() if upload and getattr(upload, "filename", "") else None
    return {"title": form.title.data or "", "publisher": form.publisher.data or "",
            "data_year": form.data_year.data, "url": form.url.data or "",
            "kind": form.kind.data, "verification": form.verification.data or "",
            "gender_disaggregated": form.gender_disaggregated.data,
            "other_dimensions": form.other_dimensions.data or "",
            "indicator_ids": form.indicators.data or [],
            "filename": upload.filename if data else None, "data": data}


@bp.route("/sources/new", methods=["GET", "POST"])
@assessment_view(Action.EDIT_EVIDENCE)
def new_source(assessment):
    """A new source; ``?item=<id>`` links it to that indicator from the start (and returns there)."""
    form = SourceForm()
    form.indicators.choices = queries.indicator_choices(assessment)
    item = services.indicator_or_none(assessment, request.args.get("item", type=int))
    if request.method == "GET" and item is not None:
        form.indicators.data = [item.id]
    if form.validate_on_submit():
        with form_errors(form, "title"):
            source = services.create_source(assessment, actor=current_user, **_values(form))
            flash(_("The source is added. Cite it in a finding as %(reference)s.",
                    reference=source.reference), "success")
            if item is not None and item in source.indicators:
                return redirect(url_for("evidence.indicator", slug=assessment.slug,
                                        item_id=item.id))
            return redirect(url_for("evidence.source", slug=assessment.slug,
                                    source_id=source.id))
    return render_template("evidence/source_form.html", assessment=assessment, form=form,
                           source=None, item=item), 422 if form.errors else 200


@bp.get("/sources/<int:source_id>")
@assessment_view(Action.READ_EVIDENCE)
def source(assessment, source_id):
    source = _source(assessment, source_id, selectinload(Source.indicators))
    role = g.membership.role
    # Where it is cited: drafts not yet circulated are the research team's to see.
    cited = services.citing(source, assessment) if can(role, Action.READ_UNCIRCULATED) else None
    return render_template("evidence/source.html", assessment=assessment, source=source,
                           cited=cited, editor=can(role, Action.EDIT_EVIDENCE), **_labels())


@bp.route("/sources/<int:source_id>/edit", methods=["GET", "POST"])
@assessment_view(Action.EDIT_EVIDENCE)
def edit_source(assessment, source_id):
    source = _source(assessment, source_id, selectinload(Source.indicators))
    form = SourceForm(obj=source)
    form.indicators.choices = queries.indicator_choices(assessment)
    if request.method == "GET":
        form.indicators.data = [i.id for i in source.indicators]
    if form.validate_on_submit():
        with form_errors(form, "title"):
            services.update_source(source, assessment, actor=current_user,
                                   remove_file=form.remove_file.data, **_values(form))
            flash(_("The source %(reference)s is saved.", reference=source.reference),
                  "success")
            return redirect(url_for("evidence.source", slug=assessment.slug,
                                    source_id=source.id))
    return render_template("evidence/source_form.html", assessment=assessment, form=form,
                           source=source, item=None), 422 if form.errors else 200


@bp.post("/sources/<int:source_id>/delete")
@assessment_view(Action.EDIT_EVIDENCE)
def delete_source(assessment, source_id):
    """A source that a version or translation cites is refused at once; without ``confirm=1``
    the confirmation page says what goes with it."""
    source = _source(assessment, source_id, selectinload(Source.indicators))
    back = url_for("evidence.source", slug=assessment.slug, source_id=source.id)
    with flash_errors() as deletable:
        services.check_deletable(source, assessment)
    if not deletable:
        return redirect(back)
    if confirmed():
        reference = source.reference
        with flash_errors():
            services.delete_source(source, assessment, actor=current_user)
            flash(_("The source %(reference)s is deleted.", reference=reference), "success")
            return redirect(url_for("evidence.sources", slug=assessment.slug))
        return redirect(back)
    lines = [_("“%(title)s” (%(reference)s) is deleted from the evidence register for good; no "
               "version or translation cites it.", title=source.title,
               reference=source.reference)]
    if source.indicators:
        lines.append(ngettext("%(num)d indicator loses it as a source: %(codes)s.",
                              "%(num)d indicators lose it as a source: %(codes)s.",
                              len(source.indicators),
                              codes=", ".join(i.code for i in source.indicators)))
    if source.has_file:
        lines.append(_("Its file “%(name)s” can no longer be downloaded.",
                       name=source.file_name))
    lines.append(_("The audit log keeps its title."))
    return confirm_page(
        title=_("Delete the source %(reference)s?", reference=source.reference),
        assessment=assessment, consequences=lines,
        action=url_for("evidence.delete_source", slug=assessment.slug, source_id=source.id),
        confirm_label=_("Delete the source"), back_url=back)


@bp.get("/sources/<int:source_id>/file")
@assessment_view(Action.READ_EVIDENCE)
def download(assessment, source_id):
    source = _source(assessment, source_id)
    if not source.has_file:
        abort(404)
    return files.download(source)
