"""Edition use cases: saving a paragraph (optimistic lock, frozen editions, target languages,
audit), the machine-assisted mark, a new draft's source language and the carry-over into a new
version."""
import pytest
from sqlalchemy import select

from mab.audit.models import AuditEvent
from mab.editions import rules, services
from mab.editions.models import Edition
from mab.errors import DomainError
from mab.extensions import db
from mab.types import utcnow
from tests.drafts.support import circulate, make_draft, new_version, setup

BODY = "Access is uneven.\n\nPrices fell in 2022.\n\nRural schools lack connections."


@pytest.fixture
def world(app):
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], BODY)
    return assessment, people, draft


def ids(version):
    return [b["id"] for b in version.blocks]


def editions():
    return db.session.scalars(select(Edition).order_by(Edition.id)).all()


def test_saving_paragraphs_creates_the_edition_and_bumps_its_revision(world):
    assessment, people, draft = world
    version = draft.versions[0]
    translator = people["translator"]
    first = services.save_paragraph(version, "kk", ids(version)[0], "Қолжетімділік біркелкі емес.",
                                    revision=0, actor=translator)
    db.session.commit()
    assert first.revision == 1 and first.updated_by_id == translator.id
    second = services.save_paragraph(version, "kk", ids(version)[1], "Бағалар төмендеді.",
                                     revision=1, actor=translator)
    db.session.commit()
    assert second is first and second.revision == 2
    assert [b["id"] for b in second.blocks] == ids(version)[:2]
    assert second.blocks[0]["source_hash"] == rules.paragraph_hash("Access is uneven.")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "edition.saved")
                               .order_by(AuditEvent.id.desc())).first()
    assert event.changes == {"language": "kk", "block_id": ids(version)[1], "revision": 2}
    assert event.object_type == "DraftVersion" and event.object_id == str(version.id)


def test_a_stale_revision_is_a_conflict_and_saves_nothing(world):
    assessment, people, draft = world
    version = draft.versions[0]
    services.save_paragraph(version, "kk", ids(version)[0], "Бірінші.", revision=0,
                            actor=people["translator"])
    db.session.commit()
    with pytest.raises(services.EditionConflict) as caught:
        services.save_paragraph(version, "kk", ids(version)[0], "Менікі.", revision=0,
                                actor=people["researcher"])
    assert "Someone else saved" in str(caught.value.message)
    db.session.rollback()
    (edition,) = editions()
    assert edition.revision == 1 and edition.blocks[0]["text"] == "Бірінші."
    # A new edition cannot be "created" twice either: revision 0 means "there was none".
    with pytest.raises(services.EditionConflict):
        services.save_paragraph(version, "kk", ids(version)[1], "Екінші.", revision=0,
                                actor=people["researcher"])


def test_the_source_language_and_unknown_languages_are_refused(world):
    assessment, people, draft = world
    version = draft.versions[0]
    for language in ("ru", "de", ""):
        with pytest.raises(DomainError, match="not translated into that language"):
            services.save_paragraph(version, language, ids(version)[0], "x", revision=0,
                                    actor=people["translator"])
    with pytest.raises(DomainError, match="no longer in version 1"):
        services.save_paragraph(version, "kk", "p999", "x", revision=0,
                                actor=people["translator"])
    db.session.rollback()
    assert editions() == []


def test_a_frozen_edition_is_refused(world):
    assessment, people, draft = world
    version = draft.versions[0]
    edition = services.save_paragraph(version, "en", ids(version)[0], "Access is uneven.",
                                      revision=0, actor=people["translator"])
    edition.frozen_at = utcnow()
    db.session.commit()
    with pytest.raises(DomainError, match="English translation of version 1 is frozen"):
        services.save_paragraph(version, "en", ids(version)[1], "Prices fell.", revision=1,
                                actor=people["translator"])
    with pytest.raises(DomainError, match="frozen"):
        services.set_machine_assisted(version, "en", True, revision=1,
                                      actor=people["translator"])
    db.session.rollback()
    assert [len(e.blocks) for e in editions()] == [1] and not editions()[0].machine_assisted


def test_an_empty_text_removes_the_translation(world):
    assessment, people, draft = world
    version = draft.versions[0]
    services.save_paragraph(version, "kk", ids(version)[0], "Бірінші.", revision=0,
                            actor=people["translator"])
    edition = services.save_paragraph(version, "kk", ids(version)[0], "  ", revision=1,
                                      actor=people["translator"])
    db.session.commit()
    assert edition.blocks == []
    assert rules.summary("kk", version.blocks, edition.blocks).missing == 3


def test_machine_assisted_is_recorded_and_audited(world):
    assessment, people, draft = world
    version = draft.versions[0]
    edition = services.set_machine_assisted(version, "en", True, revision=0,
                                            actor=people["researcher"])
    db.session.commit()
    assert edition.machine_assisted and edition.revision == 1
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "edition.machine_assisted")).one()
    assert event.changes == {"language": "en", "machine_assisted": True}


def test_a_new_version_carries_each_edition_over(world, app):
    assessment, people, draft = world
    v1 = draft.versions[0]
    for n, text in enumerate(["a", "b", "c"]):
        services.save_paragraph(v1, "kk", ids(v1)[n], text, revision=n, actor=people["translator"])
    services.set_machine_assisted(v1, "en", True, revision=0, actor=people["translator"])
    services.save_paragraph(v1, "en", ids(v1)[0], "x", revision=1, actor=people["translator"])
    db.session.commit()
    circulate(draft, assessment, people["researcher"])
    v2 = new_version(draft, assessment, people["researcher"],
                     "Access is uneven.\n\nPrices fell sharply in 2022.\n\nLibraries help.")
    by_language = {e.language: e for e in v2.editions}
    assert set(by_language) == {"kk", "en"}
    kk = by_language["kk"]
    assert rules.statuses(v2.blocks, kk.blocks) == {
        ids(v2)[0]: rules.CURRENT, ids(v2)[1]: rules.OUTDATED, ids(v2)[2]: rules.MISSING}
    assert by_language["en"].machine_assisted and kk.revision == 1
    # The previous version's editions are untouched.
    assert len({e.language: e for e in v1.editions}["kk"].blocks) == 3
    # Saving the working version again does not carry anything twice.
    new_version(draft, assessment, people["researcher"], "Access is uneven.\n\nOnly this.")
    assert len(db.session.get(type(v2), v2.id).editions) == 2


def test_a_draft_is_written_in_one_of_the_assessment_languages(world):
    from mab.drafts import services as draft_services
    assessment, people, _draft = world
    draft = draft_services.create_draft(assessment, subject="report", item_id=None, title="KK",
                                        owner=None, body="Мәтін.", actor=people["researcher"],
                                        source_language="kk")
    assert draft.source_language == "kk"
    from mab.editions import queries
    assert queries.target_languages(draft, assessment) == ["ru", "en"]
    with pytest.raises(DomainError) as caught:
        draft_services.create_draft(assessment, subject="report", item_id=None, title="DE",
                                    owner=None, body="Text.", actor=people["researcher"],
                                    source_language="de")
    assert caught.value.field == "source_language"
