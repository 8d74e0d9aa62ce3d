"""The coordinator's pages of releases (issue 20 item 4): the list of releases, publishing the
report's validated state as a new release, hiding the public site. Both actions ask first
(mab.confirmation), naming the release, its address, languages and figures."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from mab.assessments.access import assessment_view
from mab.boundary import flash_errors
from mab.confirmation import confirm_page, confirmed
from mab.editions.labels import language_name
from mab.links import absolute_url
from mab.permissions import Action
from mab.releases import queries, services

bp = Blueprint("releases", __name__, url_prefix="/a/<slug>")


@bp.get("/releases")
@assessment_view(Action.READ_REPORT)
def index(assessment):
    return render_template("releases/index.html", assessment=assessment,
                           releases=queries.releases(assessment),
                           site_url=absolute_url("public.home", slug=assessment.slug))


def _languages(codes) -> str:
    return ", ".join(language_name(code) for code in codes)


def _publish_consequences(assessment, prepared) -> list[str]:
    latest = queries.latest_release(assessment)
    same = latest is not None and latest.manifest_sha256 == prepared.manifest_sha256
    return [
        _("Release %(number)d will be public at %(url)s in %(languages)s.",
          number=prepared.number, url=absolute_url("public.home", slug=assessment.slug),
          languages=_languages(prepared.languages)),
        ngettext("It holds %(num)d validated finding", "It holds %(num)d validated findings",
                 prepared.findings) + ", " +
        ngettext("%(num)d recommendation.", "%(num)d recommendations.",
                 prepared.recommendations),
        _("Earlier releases stay readable.") if prepared.number > 1
        else _("It is the first release of this assessment."),
    ] + ([_("Its content is the same as release %(number)d's (the same manifest hash): only "
            "the date of publication changes.", number=latest.number)] if same else [])


@bp.post("/releases/publish")
@assessment_view(Action.PUBLISH)
def publish(assessment):
    back = url_for("releases.index", slug=assessment.slug)
    prepared = services.plan(assessment)
    if not prepared.publishable:
        flash(str(services.NOTHING_VALIDATED), "error")
        return redirect(back)
    changed = confirmed() and request.form.get("manifest") != prepared.manifest_sha256
    if not confirmed() or changed:
        return confirm_page(
            title=_("Publish release %(number)d?", number=prepared.number),
            consequences=_publish_consequences(assessment, prepared),
            action=url_for("releases.publish", slug=assessment.slug),
            confirm_label=_("Publish release %(number)d", number=prepared.number),
            back_url=back, assessment=assessment, danger=False,
            hidden={"manifest": prepared.manifest_sha256},
            notice=_("The report changed since the last page: check the figures again.")
            if changed else "")
    with flash_errors():
        release = services.publish(assessment, g.membership.user, prepared=prepared)
        flash(_("Release %(number)d is published.", number=release.number), "success")
    return redirect(back)


@bp.post("/releases/unpublish")
@assessment_view(Action.PUBLISH)
def unpublish(assessment):
    back = url_for("releases.index", slug=assessment.slug)
    if not assessment.site_published:
        flash(str(services.NOT_PUBLISHED), "error")
        return redirect(back)
    if not confirmed():
        count = len(queries.release_summaries(assessment))
        return confirm_page(
            title=_("Hide the public site?"),
            consequences=[
                _("%(url)s and every page under it will answer “not found” to everyone.",
                  url=absolute_url("public.home", slug=assessment.slug)),
                ngettext("The %(num)d release stays on record here; publishing again shows "
                         "the site with a new release.",
                         "The %(num)d releases stay on record here; publishing again shows "
                         "the site with a new release.", count),
            ],
            action=url_for("releases.unpublish", slug=assessment.slug),
            confirm_label=_("Hide the public site"), back_url=back, assessment=assessment)
    with flash_errors():
        services.unpublish(assessment, g.membership.user)
        flash(_("The public site is hidden. The releases stay on record."), "success")
    return redirect(back)
