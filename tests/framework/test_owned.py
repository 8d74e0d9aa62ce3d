"""Issue 11, item 2: a coordinator's import never changes another assessment's catalogue.

Shared frameworks (the built-in ROAM-X, any framework without an owner) are the site admin's; a
coordinator's first import makes the assessment's own copy (with where, when and by whom), moves
the assessment's drafts onto the copied items, and imports into the copy.
"""
import html
import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from mab.assessments.models import Assessment, Role
from mab.audit.models import AuditEvent
from mab.drafts.models import Draft
from mab.errors import DomainError
from mab.extensions import db
from mab.framework import queries, services
from mab.framework.csvio import parse_indicators
from mab.framework.models import Framework, FrameworkItem, ItemKind
from mab.framework.services import BUILTIN_ATTRIBUTION, BUILTIN_KEY, ensure_builtin
from mab.types import utcnow
from tests.drafts.support import INDICATORS_CSV, import_sample, make_draft
from tests.factories import make_assessment, make_member
from tests.records import count, events
from tests.validation.support import circulate, close, open_round, sign, text_of, world

KZ, UZ = "/a/kz-2022", "/a/uz-2023"
OLD_TITLE = "Legal guarantee of freedom of expression"
NEW_TITLE = "Rewritten by another assessment"
NEW_SOURCE = "Somebody else's attribution"
CHANGED_CSV = ("category,theme,question_code,question,indicator_code,indicator,core\n"
               f"R,R.B,R.5,A rewritten question?,R.5.1,{NEW_TITLE},yes\n"
               "R,R.B,R.5,A rewritten question?,R.5.9,A new indicator of uz-2023,yes\n")


def upload(client, slug_path, text, attribution=""):
    return client.post(f"{slug_path}/framework/import", data={
        "file": (io.BytesIO(text.encode()), "indicators.csv"), "attribution": attribution},
        content_type="multipart/form-data")


def item_of(framework_id, code, kind=ItemKind.INDICATOR) -> FrameworkItem:
    return db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework_id, FrameworkItem.code == code,
        FrameworkItem.kind == kind))


def tree(framework_id):
    """The catalogue as data, ids left out: (kind, code, title, core, position, parent code)."""
    rows = db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == framework_id)).all()
    codes = {i.id: (i.kind, i.code) for i in rows}
    return sorted((i.kind, i.code, i.title, i.core, i.position, codes.get(i.parent_id))
                  for i in rows)


def certificate_of(client, path):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'<article class="certificate">.*</article>', page, re.S).group(0)


@pytest.fixture
def two(app):
    """kz-2022 on the shared built-in (with the sample indicators, as the demo has), an
    indicator draft validated with its certificate; uz-2023 on the same framework, with its own
    coordinator and researcher and drafts on an indicator and on a theme."""
    w = world()
    builtin = import_sample(w.assessment, w.people["coordinator"])
    people = w.people
    kz_draft = make_draft(w.assessment, people["researcher"], "Guaranteed in law.",
                          title="Expression", subject="indicator",
                          item_id=item_of(builtin.id, "R.5.1").id)
    version = circulate(kz_draft, w.assessment, people["researcher"])
    round_ = open_round(w, version)
    sign(w, round_, "board_member")
    sign(w, round_, "member2")
    assert close(w, round_).passed
    uz = w.other
    uz.framework_id = builtin.id
    people["uz_researcher"] = make_member(uz, Role.RESEARCHER, email="researcher@example.uz")
    db.session.commit()
    uz_draft = make_draft(uz, people["uz_researcher"], "Uzbek finding.", title="Uz expression",
                          subject="indicator", item_id=item_of(builtin.id, "R.5.1").id)
    uz_theme = make_draft(uz, people["uz_researcher"], "Theme text.", title="Uz theme",
                          subject="theme", item_id=item_of(builtin.id, "R.B", ItemKind.THEME).id)
    return {"w": w, "kz": w.assessment, "uz": uz, "builtin": builtin, "people": people,
            "kz_draft": kz_draft, "uz_draft": uz_draft, "uz_theme": uz_theme, "round": round_}


# --- over HTTP: the attack of the issue, and what each side sees ------------------------------

def test_an_import_in_another_assessment_leaves_kz_catalogue_drafts_and_certificate(
        client, login, two):
    kz, builtin, people = two["kz"], two["builtin"], two["people"]
    certificate = f"{KZ}/validation/{two['round'].id}/certificate"
    login(people["coordinator"])
    kz_page_before = text_of(client.get(f"{KZ}/framework"))
    kz_draft_before = text_of(client.get(f"{KZ}/drafts/{two['kz_draft'].id}"))
    certificate_before = certificate_of(client, certificate)
    shared_before = tree(builtin.id)
    assert OLD_TITLE in kz_page_before and "(R.5.1)" in certificate_before

    login(people["other_coordinator"])
    response = upload(client, UZ, CHANGED_CSV, NEW_SOURCE)
    assert response.status_code == 302
    uz_page = text_of(client.get(f"{UZ}/framework"))     # (and its messages are read)

    # kz-2022 reads exactly what it read before: catalogue, draft, certificate.
    login(people["coordinator"])
    kz_page = text_of(client.get(f"{KZ}/framework"))
    assert NEW_TITLE not in kz_page and NEW_SOURCE not in kz_page
    assert kz_page == kz_page_before
    assert text_of(client.get(f"{KZ}/drafts/{two['kz_draft'].id}")) == kz_draft_before
    assert f"R.5.1 {OLD_TITLE}" in kz_draft_before
    assert certificate_of(client, certificate) == certificate_before
    login(people["observer"])
    observer_page = text_of(client.get(f"{KZ}/framework"))
    assert OLD_TITLE in observer_page and NEW_TITLE not in observer_page
    # uz-2023 reads its new titles, in its own copy.
    assert "Your assessment now has its own copy of ROAM-X 2018" in uz_page
    assert "Imported: 1 new indicators, 1 updated." in uz_page
    assert NEW_TITLE in uz_page and f"Source: {NEW_SOURCE}" in uz_page
    assert OLD_TITLE not in uz_page

    # The shared framework itself is untouched, and kz-2022 still uses it.
    db.session.expire_all()
    assert tree(builtin.id) == shared_before
    assert db.session.get(Framework, builtin.id).attribution == BUILTIN_ATTRIBUTION
    assert db.session.get(Assessment, kz.id).framework_id == builtin.id
    assert db.session.get(Draft, two["kz_draft"].id).item_id == item_of(builtin.id, "R.5.1").id


def test_uz_drafts_point_at_valid_items_of_its_copy(client, login, two):
    uz, builtin, people = two["uz"], two["builtin"], two["people"]
    login(people["other_coordinator"])
    assert upload(client, UZ, CHANGED_CSV).status_code == 302
    db.session.expire_all()
    copy_id = db.session.get(Assessment, uz.id).framework_id
    assert copy_id != builtin.id
    draft = db.session.get(Draft, two["uz_draft"].id)
    theme = db.session.get(Draft, two["uz_theme"].id)
    assert draft.item.framework_id == copy_id and draft.item.code == "R.5.1"
    assert draft.item.title == NEW_TITLE
    assert theme.item.framework_id == copy_id and theme.item.code == "R.B"
    assert theme.item.kind == ItemKind.THEME
    page = text_of(client.get(f"{UZ}/drafts/{draft.id}"))
    assert f"R.5.1 {NEW_TITLE}" in page
    # The copied item is one the draft services accept for this assessment.
    login(people["uz_researcher"])
    new = make_draft(db.session.get(Assessment, uz.id), people["uz_researcher"], "More.",
                     title="Another", subject="indicator", item_id=draft.item_id)
    assert new.item.framework_id == copy_id


def test_the_copy_keeps_its_provenance_in_plain_words(client, login, two):
    uz, people = two["uz"], two["people"]
    login(people["other_coordinator"])
    upload(client, UZ, CHANGED_CSV)
    db.session.expire_all()
    copy = db.session.get(Framework, db.session.get(Assessment, uz.id).framework_id)
    assert copy.owner_assessment_id == uz.id and copy.copied_from_id == two["builtin"].id
    assert copy.copied_by_id == people["other_coordinator"].id
    assert abs(copy.copied_at - utcnow()) < timedelta(minutes=1)
    assert not copy.builtin and copy.key == f"{BUILTIN_KEY}.uz-2023"
    assert (copy.name, copy.version) == ("ROAM-X", "2018")
    made_on = format_date(copy.copied_at.astimezone(ZoneInfo(uz.timezone)).date(), "long",
                          locale="en")
    name = people["other_coordinator"].display_name
    raw = client.get(f"{UZ}/framework").get_data(as_text=True)
    page = text_of(client.get(f"{UZ}/framework"))
    assert f"Your assessment's copy of ROAM-X 2018, made on {made_on} by {name}." in page
    assert "Imports change only this copy" in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page), "no ISO dates in front of people"
    assert copy.key not in raw, "no internal keys in front of people"
    # The other side of the coin: kz-2022 is told its catalogue is the shared one.
    login(people["coordinator"])
    assert "A shared catalogue, kept by the site administrator." in text_of(
        client.get(f"{KZ}/framework"))
    event = events("framework.copied")[-1]
    assert event.assessment_id == uz.id and event.actor_id == people["other_coordinator"].id
    assert event.changes["copied_from"] == BUILTIN_KEY and event.changes["rows_moved"] == 2


def test_a_second_import_changes_only_the_copy(client, login, two):
    uz, people = two["uz"], two["people"]
    login(people["other_coordinator"])
    upload(client, UZ, CHANGED_CSV, NEW_SOURCE)
    assert "now has its own copy" in text_of(client.get(f"{UZ}/framework"))
    db.session.expire_all()
    copy_id = db.session.get(Assessment, uz.id).framework_id
    frameworks = count(Framework)
    again = CHANGED_CSV.replace(NEW_TITLE, "Third title")
    assert upload(client, UZ, again).status_code == 302
    page = text_of(client.get(f"{UZ}/framework"))
    assert "now has its own copy" not in page and "Imported: 0 new indicators, 2 updated." in page
    db.session.expire_all()
    assert count(Framework) == frameworks
    assert db.session.get(Assessment, uz.id).framework_id == copy_id
    assert item_of(copy_id, "R.5.1").title == "Third title"
    assert item_of(two["builtin"].id, "R.5.1").title == OLD_TITLE
    assert len(events("framework.copied")) == 1


def test_it_works_in_both_directions(client, login, two):
    kz, uz, people = two["kz"], two["uz"], two["people"]
    login(people["other_coordinator"])
    upload(client, UZ, CHANGED_CSV)
    login(people["coordinator"])
    kz_text = INDICATORS_CSV.replace(OLD_TITLE, "Kazakh wording")
    assert upload(client, KZ, kz_text, "Kazakh source").status_code == 302
    db.session.expire_all()
    kz_copy = db.session.get(Assessment, kz.id).framework_id
    uz_copy = db.session.get(Assessment, uz.id).framework_id
    assert len({kz_copy, uz_copy, two["builtin"].id}) == 3
    assert item_of(kz_copy, "R.5.1").title == "Kazakh wording"
    assert item_of(uz_copy, "R.5.1").title == NEW_TITLE
    assert item_of(two["builtin"].id, "R.5.1").title == OLD_TITLE
    # kz-2022's validated draft moved with it, and its certificate reads the same code.
    assert db.session.get(Draft, two["kz_draft"].id).item.framework_id == kz_copy
    certificate = certificate_of(client, f"{KZ}/validation/{two['round'].id}/certificate")
    assert "(R.5.1)" in certificate
    login(people["other_coordinator"])
    page = text_of(client.get(f"{UZ}/framework"))
    assert NEW_TITLE in page and "Kazakh wording" not in page and "Kazakh source" not in page


def test_the_scope_form_offers_shared_and_own_frameworks_only(client, login, two):
    kz, uz, people = two["kz"], two["uz"], two["people"]
    login(people["other_coordinator"])
    upload(client, UZ, CHANGED_CSV)
    db.session.expire_all()
    uz_copy = db.session.get(Assessment, uz.id).framework_id

    def options(path):
        page = client.get(f"{path}/framework").get_data(as_text=True)
        select_ = re.search(r'<select[^>]*name="framework_id".*?</select>', page, re.S).group(0)
        return {int(v) for v in re.findall(r'<option[^>]*value="(\d+)"', select_)}, select_

    uz_options, uz_select = options(UZ)
    assert uz_options == {two["builtin"].id, uz_copy}
    assert "ROAM-X 2018 (your assessment's copy, made on" in html.unescape(uz_select)
    login(people["coordinator"])
    kz_options, _ = options(KZ)
    assert kz_options == {two["builtin"].id}
    # Posting another assessment's copy is refused on the server, whatever the page offered.
    response = client.post(f"{KZ}/framework/scope", data={"framework_id": uz_copy,
                                                           "scope": "all"})
    assert response.status_code == 400
    db.session.expire_all()
    refreshed = db.session.get(Assessment, kz.id)
    assert (refreshed.framework_id, refreshed.core_only) == (two["builtin"].id, True)
    # Its own copy and the shared one stay choices for uz-2023.
    login(people["other_coordinator"])
    assert client.post(f"{UZ}/framework/scope", data={
        "framework_id": two["builtin"].id, "scope": "core"}).status_code == 302
    assert client.post(f"{UZ}/framework/scope", data={
        "framework_id": uz_copy, "scope": "core"}).status_code == 302
    assert db.session.get(Assessment, uz.id).framework_id == uz_copy


def test_a_bad_file_makes_no_copy(client, login, two):
    login(two["people"]["other_coordinator"])
    bad = CHANGED_CSV.replace("R,R.B,R.5,A rewritten", "R,R.Z,R.5,A rewritten")
    assert upload(client, UZ, bad).status_code == 422
    db.session.expire_all()
    assert count(Framework) == 1
    assert db.session.get(Assessment, two["uz"].id).framework_id == two["builtin"].id


# --- services ---------------------------------------------------------------------------------

def rows_of(text, framework):
    rows, errors = parse_indicators(text.encode(), themes=services.theme_categories(framework))
    assert not errors, errors
    return rows


def test_copy_for_assessment_copies_the_tree_and_moves_only_that_assessments_rows(two):
    kz, uz, builtin = two["kz"], two["uz"], two["builtin"]
    before = tree(builtin.id)
    copy = services.copy_for_assessment(builtin, uz, actor=two["people"]["other_coordinator"])
    db.session.commit()
    assert tree(copy.id) == before == tree(builtin.id)
    assert uz.framework_id == copy.id and kz.framework_id == builtin.id
    parents = {i.parent_id for i in db.session.scalars(select(FrameworkItem).where(
        FrameworkItem.framework_id == copy.id))} - {None}
    assert parents and all(db.session.get(FrameworkItem, p).framework_id == copy.id
                           for p in parents)
    assert two["uz_draft"].item.framework_id == copy.id
    assert two["uz_theme"].item.framework_id == copy.id
    assert two["kz_draft"].item.framework_id == builtin.id
    with pytest.raises(ValueError):
        services.copy_for_assessment(copy, uz, actor=None)


def test_import_for_assessment_copies_once_then_changes_the_copy(two):
    uz, builtin = two["uz"], two["builtin"]
    actor = two["people"]["other_coordinator"]
    first = services.import_for_assessment(uz, rows_of(CHANGED_CSV, builtin),
                                           attribution="Mine", actor=actor)
    db.session.commit()
    copy = first["copied"]
    assert copy is not None and (first["added"], first["updated"]) == (1, 1)
    assert copy.attribution == "Mine" and builtin.attribution == BUILTIN_ATTRIBUTION
    second = services.import_for_assessment(uz, rows_of(CHANGED_CSV, copy), attribution="",
                                            actor=actor)
    db.session.commit()
    assert second["copied"] is None and (second["added"], second["updated"]) == (0, 2)
    assert copy.attribution == "Mine" and uz.framework_id == copy.id
    assert item_of(builtin.id, "R.5.9") is None and item_of(copy.id, "R.5.9") is not None


def test_import_for_assessment_refuses_another_assessments_copy(two):
    uz, kz, builtin = two["uz"], two["kz"], two["builtin"]
    copy = services.copy_for_assessment(builtin, uz, actor=None)
    kz.framework_id = copy.id    # as if set behind the app's back
    db.session.flush()
    with pytest.raises(DomainError):
        services.import_for_assessment(kz, rows_of(CHANGED_CSV, copy), attribution="",
                                       actor=None)


def test_set_scope_refuses_another_assessments_copy(two):
    uz, kz, builtin = two["uz"], two["kz"], two["builtin"]
    copy = services.copy_for_assessment(builtin, uz, actor=None)
    db.session.commit()
    with pytest.raises(DomainError):
        services.set_scope(kz, copy, False, actor=None)
    services.set_scope(uz, builtin, False, actor=None)
    services.set_scope(uz, copy, True, actor=None)
    assert (uz.framework_id, uz.core_only) == (copy.id, True)
    assert queries.frameworks_for(kz) == [builtin]
    assert {f.id for f in queries.frameworks_for(uz)} == {builtin.id, copy.id}


def test_copy_keys_are_derived_unique_and_fit(app):
    builtin = ensure_builtin()
    long_slug = "x" * 60
    a = make_assessment(slug=long_slug)
    b = make_assessment(slug="kz-2022")
    keys = set()
    for assessment in (a, a, a, b, b):
        copy = services.copy_for_assessment(builtin, assessment, actor=None)
        db.session.flush()
        assert len(copy.key) <= 60 and copy.key not in keys
        keys.add(copy.key)
    assert "roamx-2018.kz-2022" in keys and "roamx-2018.kz-2022-2" in keys
    db.session.commit()
    assert count(Framework) == 6


def test_every_reference_to_framework_items_can_be_moved():
    """A new table pointing at framework items must say whose rows they are, or the copy
    would leave them on the shared catalogue."""
    references = services.item_references()
    assert ("drafts", "item_id") in {(t.name, c.name) for t, c in references}
    assert ("source_indicators", "item_id") in {(t.name, c.name) for t, c in references}
    for table, column in references:
        assert "assessment_id" in table.c or services.owner_of(table) is not None, \
            f"{table.name}.{column.name}"


def test_a_builtin_framework_is_never_owned(two):
    two["builtin"].owner_assessment_id = two["uz"].id
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_assessment_s_copy_goes_with_it(two):
    uz = two["uz"]
    copy = services.copy_for_assessment(two["builtin"], uz, actor=None)
    db.session.commit()
    copy_id = copy.id
    # The audit log keeps an assessment with history (RESTRICT): clear it, as for a mistake.
    db.session.execute(delete(AuditEvent).where(AuditEvent.assessment_id == uz.id))
    db.session.execute(delete(Assessment).where(Assessment.id == uz.id))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Framework, copy_id) is None
    assert db.session.scalar(select(func.count(FrameworkItem.id)).where(
        FrameworkItem.framework_id == copy_id)) == 0
    assert db.session.get(Framework, two["builtin"].id) is not None


def test_provenance_of_shared_and_own(two):
    uz, builtin = two["uz"], two["builtin"]
    assert queries.provenance(builtin, uz).own is False
    copy = services.copy_for_assessment(builtin, uz, actor=two["people"]["other_coordinator"])
    db.session.commit()
    seen = queries.provenance(copy, uz)
    assert seen.own and seen.source == "ROAM-X 2018"
    assert seen.made_by == two["people"]["other_coordinator"].display_name
    assert seen.made_on == queries.copied_on(copy, uz)


# --- the site admin's shared frameworks -------------------------------------------------------

def test_the_site_admin_imports_into_a_shared_framework_from_the_cli(runner, two, tmp_path):
    path = tmp_path / "shared.csv"
    path.write_text(CHANGED_CSV, encoding="utf-8")
    result = runner.invoke(args=["mab", "import-indicators", str(path), "--attribution",
                                 "Site source"])
    assert result.exit_code == 0, result.output
    assert "1 new indicator(s), 1 updated" in result.output
    db.session.expire_all()
    assert item_of(two["builtin"].id, "R.5.1").title == NEW_TITLE
    assert db.session.get(Framework, two["builtin"].id).attribution == "Site source"
    # An assessment's own copy is never the CLI's to change.
    copy = services.copy_for_assessment(two["builtin"], two["uz"], actor=None)
    db.session.commit()
    result = runner.invoke(args=["mab", "import-indicators", str(path), "--framework",
                                 copy.key])
    assert result.exit_code != 0 and "own copy" in result.output
    result = runner.invoke(args=["mab", "import-indicators", str(path), "--framework", "nope"])
    assert result.exit_code != 0 and "no framework" in result.output
