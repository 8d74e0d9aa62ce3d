"""The evidence register's use cases (issue 19 item 1): sources numbered per assessment, their
checks (title, year of the data, link, file, indicators of the assessment's framework), links to
indicators, an indicator's data status, deletion, and the check of source references when a
draft, a version or a translation is saved: refused with a field error and nothing saved."""
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from mab.audit.models import AuditEvent
from mab.drafts import services as draft_services
from mab.editions import exchange_services
from mab.editions import rules as edition_rules
from mab.editions import services as edition_services
from mab.editions.exchange import CSV_COLUMNS
from mab.csvio import write_csv
from mab.errors import DomainError
from mab.evidence import services
from mab.evidence.models import DataStatus, IndicatorEvidence, Source, SourceKind
from mab.extensions import db
from mab.framework.models import FrameworkItem, ItemKind
from mab.framework.services import copy_for_assessment, ensure_builtin
from tests.drafts.editions_support import translate
from tests.drafts.support import circulate, make_draft
from tests.evidence.support_evidence import (
    PDF,
    add_source,
    counts,
    indicator,
    own_framework,
    world,
)
from tests.factories import make_assessment, make_member


def refused(call, field, *words):
    """``call()`` raises a DomainError on ``field`` whose message holds ``words``."""
    with pytest.raises(DomainError) as caught:
        call()
    db.session.rollback()
    assert caught.value.field == field, (caught.value.field, caught.value.message)
    for word in words:
        assert word in str(caught.value.message), caught.value.message
    return caught.value


def last_event(action):
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == action)
                             .order_by(AuditEvent.id.desc()))


# --- sources ------------------------------------------------------------------------------------

def test_sources_are_numbered_per_assessment_after_the_highest(app):
    assessment, people = world()
    researcher = people["researcher"]
    first = add_source(assessment, researcher, title="One", codes=["R.5.1", "A.3.1"])
    second = add_source(assessment, researcher, title="Two")
    third = add_source(assessment, researcher, title="Three")
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert first.reference == "[@src-1]"
    assert [i.code for i in first.indicators] == ["R.5.1", "A.3.1"]
    other = make_assessment(slug="uz-2023")
    other.framework_id = assessment.framework_id
    elsewhere = add_source(other, make_member(other, "researcher"), title="Theirs")
    assert elsewhere.number == 1
    services.delete_source(second, assessment, actor=researcher)
    db.session.commit()
    assert add_source(assessment, researcher, title="Four").number == 4


def test_a_new_source_is_stored_tidied_and_audited(app):
    assessment, people = world()
    source = add_source(assessment, people["researcher"], title="  ICT survey  ",
                        publisher=" Bureau ", data_year=2021, url=" https://stat.gov.kz/ict ",
                        kind="survey", verification="Table 4", gender_disaggregated=True,
                        other_dimensions="age, region", codes=["A.3.1"])
    assert (source.title, source.publisher, source.url) == ("ICT survey", "Bureau",
                                                             "https://stat.gov.kz/ict")
    assert source.kind == SourceKind.SURVEY and source.gender_disaggregated
    assert source.created_by_id == people["researcher"].id
    event = last_event("source.created")
    assert event.object_type == "Source" and event.object_id == str(source.id)
    assert event.changes["reference"] == "[@src-1]" and event.changes["indicators"] == "A.3.1"
    assert event.changes["source_kind"] == "survey" and event.changes["link"] == source.url


@pytest.mark.parametrize("values, field, words", [
    ({"title": ""}, "title", ["title"]),
    ({"title": "   "}, "title", ["title"]),
    ({"data_year": 2023}, "data_year", ["future", "2022"]),
    ({"data_year": 1899}, "data_year", ["1900"]),
    ({"url": "javascript:alert(1)"}, "url", ["http://"]),
    ({"url": "ftp://example.org/x.csv"}, "url", ["https://"]),
    ({"url": "stat.gov.kz"}, "url", ["http"]),
    ({"kind": "rumour"}, "kind", []),
])
def test_a_source_is_refused_with_a_field_error_and_nothing_saved(app, monkeypatch, values,
                                                                  field, words):
    assessment, people = world()
    monkeypatch.setattr(type(assessment), "today", lambda self: __import__("datetime").date(
        2022, 6, 1))
    before = counts()
    refused(lambda: services.create_source(
        assessment, actor=people["researcher"], **{"title": "A source", **values}),
        field, *words)
    assert counts() == before


def test_this_years_data_and_an_empty_link_are_fine(app):
    assessment, people = world()
    source = add_source(assessment, people["researcher"], data_year=assessment.today().year,
                        url="")
    assert source.data_year == assessment.today().year and source.url == ""


def test_only_indicators_of_the_assessments_framework_may_be_served(app):
    assessment, people = world()
    researcher = people["researcher"]
    other = make_assessment(slug="uz-2023")
    foreign = own_framework(other)
    question = db.session.scalar(select(FrameworkItem).where(
        FrameworkItem.framework_id == assessment.framework_id,
        FrameworkItem.kind == ItemKind.QUESTION))
    db.session.commit()
    before = counts()
    for ids in ([foreign.id], [indicator(assessment).id, foreign.id], [question.id], [987654]):
        refused(lambda: services.create_source(assessment, actor=researcher, title="X",
                                               indicator_ids=ids), "indicators", "framework")
    assert counts() == before
    source = add_source(assessment, researcher)
    refused(lambda: services.update_source(source, assessment, actor=researcher, title="X",
                                           indicator_ids=[foreign.id]), "indicators")
    refused(lambda: services.link_indicator(source, assessment, foreign.id, actor=researcher),
            "indicators")
    assert db.session.get(Source, source.id).indicators == []


def test_a_file_is_stored_with_the_source_and_a_refused_one_says_why(app):
    assessment, people = world()
    researcher = people["researcher"]
    before = counts()
    error = refused(lambda: services.create_source(
        assessment, actor=researcher, title="Scan", filename="scan.pdf", data=b"MZ\x90\x00exe"),
        "file", "scan.pdf", "not a .pdf file")
    assert "was not attached" in str(error.message)
    refused(lambda: services.create_source(assessment, actor=researcher, title="Scan",
                                           filename="scan.exe", data=b"MZ"), "file", ".exe")
    assert counts() == before
    source = add_source(assessment, researcher, title="Scan", filename="../scan.pdf", data=PDF)
    assert source.has_file and source.file_name == "scan.pdf"
    assert source.file_type == "application/pdf" and source.file_size == len(PDF)
    stored = Path(current_app.config["UPLOAD_FOLDER"]) / source.file_key[:2] / source.file_key
    assert stored.read_bytes() == PDF
    assert last_event("source.created").changes["filename"] == "scan.pdf"


def test_a_source_is_changed_its_number_kept_and_its_file_removed(app):
    assessment, people = world()
    researcher = people["researcher"]
    source = add_source(assessment, researcher, title="Old", codes=["R.5.1"], filename="a.pdf",
                        data=PDF)
    services.update_source(source, assessment, actor=researcher, title="New", kind="survey",
                           data_year=2020, indicator_ids=[indicator(assessment, "A.3.1").id],
                           remove_file=True)
    db.session.commit()
    source = db.session.get(Source, source.id)
    assert (source.number, source.title, source.data_year) == (1, "New", 2020)
    assert [i.code for i in source.indicators] == ["A.3.1"] and not source.has_file
    changes = last_event("source.updated").changes
    assert changes["title"] == ["Old", "New"] and changes["indicators"] == ["R.5.1", "A.3.1"]
    assert changes["filename"] == ["a.pdf", None] and changes["source_kind"] == ["other", "survey"]
    events = db.session.query(AuditEvent).count()
    services.update_source(source, assessment, actor=researcher, title="New", kind="survey",
                           data_year=2020, indicator_ids=[indicator(assessment, "A.3.1").id])
    db.session.commit()
    assert db.session.query(AuditEvent).count() == events     # nothing changed, nothing said


def test_linking_and_unlinking_an_indicator(app):
    assessment, people = world()
    researcher = people["researcher"]
    source = add_source(assessment, researcher, codes=["A.3.1"])
    item = indicator(assessment, "R.5.1")
    assert services.link_indicator(source, assessment, item.id, actor=researcher) is True
    assert services.link_indicator(source, assessment, item.id, actor=researcher) is False
    db.session.commit()
    assert [i.code for i in db.session.get(Source, source.id).indicators] == ["R.5.1", "A.3.1"]
    assert last_event("source.indicator_linked").changes["indicator"] == "R.5.1"
    assert services.unlink_indicator(source, assessment, item, actor=researcher) is True
    assert services.unlink_indicator(source, assessment, item, actor=researcher) is False
    db.session.commit()
    assert [i.code for i in db.session.get(Source, source.id).indicators] == ["A.3.1"]


def test_a_source_cited_by_a_version_or_a_translation_cannot_be_deleted(app):
    assessment, people = world()
    researcher = people["researcher"]
    cited = add_source(assessment, researcher, title="Cited")
    in_translation = add_source(assessment, researcher, title="Translated")
    free = add_source(assessment, researcher, title="Free", codes=["R.5.1"])
    draft = make_draft(assessment, researcher, "Growth [@src-1].\n\nFlat.", title="Access")
    translate(draft.versions[-1], "kk", {"p2": "Тегіс [@src-2]."})
    before = counts()
    refused(lambda: services.delete_source(cited, assessment, actor=researcher), None,
            "[@src-1]", "“Access”, version 1")
    refused(lambda: services.delete_source(in_translation, assessment, actor=researcher), None,
            "[@src-2]")
    assert counts() == before
    assert services.citing(free, assessment) == []
    services.delete_source(free, assessment, actor=researcher)
    db.session.commit()
    assert db.session.get(Source, free.id) is None
    event = last_event("source.deleted")
    assert event.changes == {"title": "Free", "reference": "[@src-3]", "indicators": "R.5.1"}


def test_a_source_numbered_1_is_not_cited_by_src_12(app):
    assessment, people = world()
    researcher = people["researcher"]
    sources = [add_source(assessment, researcher, title=f"S{n}", commit=False)
               for n in range(1, 13)]
    db.session.commit()
    make_draft(assessment, researcher, "Only [@src-12].")
    assert services.citing(sources[0], assessment) == []
    assert [c.title for c in services.citing(sources[11], assessment)] == ["Findings"]


# --- an indicator's data status -----------------------------------------------------------------

def test_the_data_status_is_created_then_changed_in_one_row(app):
    assessment, people = world()
    researcher = people["researcher"]
    item = indicator(assessment, "A.6.1")
    row = services.set_indicator_evidence(assessment, item, "no_data",
                                          "  No survey asks about prices. ", actor=researcher)
    db.session.commit()
    assert (row.data_status, row.quality_note) == (DataStatus.NO_DATA,
                                                   "No survey asks about prices.")
    assert last_event("evidence.status_set").changes == {
        "indicator": "A.6.1", "data_status": [None, "no_data"],
        "quality_note": ["", "No survey asks about prices."]}
    row = services.set_indicator_evidence(assessment, item, "partial", "No survey asks about "
                                          "prices.", actor=people["coordinator"])
    db.session.commit()
    assert row.data_status == DataStatus.PARTIAL and row.updated_by_id == people["coordinator"].id
    assert db.session.query(IndicatorEvidence).count() == 1
    events = db.session.query(AuditEvent).count()
    services.set_indicator_evidence(assessment, item, "partial", "No survey asks about prices.",
                                    actor=researcher)
    assert db.session.query(AuditEvent).count() == events
    row = services.set_indicator_evidence(assessment, item, None, "", actor=researcher)
    assert row.data_status is None


def test_a_data_status_is_checked(app):
    assessment, people = world()
    other = make_assessment(slug="uz-2023")
    foreign = own_framework(other)
    db.session.commit()
    before = counts()
    refused(lambda: services.set_indicator_evidence(
        assessment, indicator(assessment), "plenty", "", actor=people["researcher"]),
        "data_status")
    refused(lambda: services.set_indicator_evidence(
        assessment, foreign, "available", "", actor=people["researcher"]), "data_status")
    assert counts() == before


def test_a_framework_copy_takes_the_sources_links_and_statuses_along(app):
    assessment, people = world()
    researcher = people["researcher"]
    source = add_source(assessment, researcher, codes=["R.5.1"])
    services.set_indicator_evidence(assessment, indicator(assessment, "R.5.1"), "available", "",
                                    actor=researcher)
    db.session.commit()
    copy = copy_for_assessment(ensure_builtin(), assessment, actor=people["coordinator"])
    db.session.commit()
    moved = db.session.get(Source, source.id).indicators
    assert [(i.code, i.framework_id) for i in moved] == [("R.5.1", copy.id)]
    row = db.session.scalar(select(IndicatorEvidence))
    assert db.session.get(FrameworkItem, row.item_id).framework_id == copy.id


# --- source references when saving text ---------------------------------------------------------

def test_creating_a_draft_with_unknown_references_saves_nothing(app):
    assessment, people = world()
    add_source(assessment, people["researcher"])
    before = counts()
    refused(lambda: draft_services.create_draft(
        assessment, subject="report", item_id=None, title="Findings", owner=None,
        body="Known [@src-1]; unknown [@src-99] and [@src-98], [@src-99] again.",
        actor=people["researcher"]),
        "body", "Unknown source reference [@src-99], [@src-98]: add the source to the evidence "
        "register or correct the reference.")
    assert counts() == before
    draft = make_draft(assessment, people["researcher"], "Known [@src-1].")
    assert draft.versions[0].body == "Known [@src-1]."


def test_saving_a_version_with_an_unknown_reference_saves_nothing(app):
    assessment, people = world()
    researcher = people["researcher"]
    add_source(assessment, researcher)
    draft = make_draft(assessment, researcher, "First [@src-1].")
    version = draft.versions[0]
    revision = version.revision
    before = counts()
    refused(lambda: draft_services.save_body(
        draft, assessment, body="Changed [@src-2].", change_summary="", base_revision=revision,
        base_number=1, actor=researcher), "body", "[@src-2]")
    assert counts() == before
    version = db.session.get(type(version), version.id)
    assert (version.body, version.revision) == ("First [@src-1].", revision)
    # Circulated and frozen: a new version would start; it does not.
    circulate(draft, assessment, researcher)
    before = counts()
    refused(lambda: draft_services.save_body(
        draft, assessment, body="Version 2 [@src-7].", change_summary="Rewritten",
        base_revision=version.revision, base_number=1, actor=researcher), "body", "[@src-7]")
    assert counts() == before and len(db.session.get(type(draft), draft.id).versions) == 1


def test_a_reference_of_another_assessment_is_unknown(app):
    assessment, people = world()
    other = make_assessment(slug="uz-2023")
    other.framework_id = assessment.framework_id
    add_source(other, make_member(other, "researcher"), title="Theirs")
    refused(lambda: draft_services.create_draft(
        assessment, subject="report", item_id=None, title="Findings", owner=None,
        body="Theirs [@src-1].", actor=people["researcher"]), "body", "[@src-1]")


def test_saving_a_translation_with_an_unknown_reference_saves_nothing(app):
    assessment, people = world()
    researcher = people["researcher"]
    add_source(assessment, researcher)
    draft = make_draft(assessment, researcher, "Growth [@src-1].")
    version = draft.versions[0]
    before = counts()
    refused(lambda: edition_services.save_paragraph(
        version, "kk", "p1", "Өсу [@src-5].", revision=0, actor=researcher,
        assessment=assessment), "text", "[@src-5]")
    assert counts() == before
    edition = edition_services.save_paragraph(version, "kk", "p1", "Өсу [@src-1].", revision=0,
                                              actor=researcher, assessment=assessment)
    assert edition.blocks[0]["text"] == "Өсу [@src-1]."


def test_importing_a_translation_with_an_unknown_reference_imports_nothing(app):
    assessment, people = world()
    researcher = people["researcher"]
    add_source(assessment, researcher)
    draft = make_draft(assessment, researcher, "Growth [@src-1].\n\nFlat.")
    version = draft.versions[0]
    rows = [[b["id"], edition_rules.paragraph_hash(b["text"]), b["text"], text]
            for b, text in zip(version.blocks, ["Өсу [@src-1].", "Тегіс [@src-4]."])]
    data = write_csv(CSV_COLUMNS, rows)
    before = counts()
    refused(lambda: exchange_services.import_file(version, assessment, "kk", data, "kk.csv",
                                                  actor=researcher), "file", "[@src-4]")
    assert counts() == before
