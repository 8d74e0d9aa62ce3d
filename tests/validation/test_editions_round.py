"""Validation binds every edition (issue 18 item 6): opening a round freezes the version's
translated editions and signs their manifest; the policy "validate only complete editions"
refuses a round while a required edition is incomplete; the round page, the sign form and the
certificate list each edition with its status and SHA-256."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from mab.editions import rules as edition_rules
from mab.editions.models import Edition
from mab.errors import DomainError
from mab.extensions import db
from mab.validation import services
from mab.validation.models import SignOff, ValidationRound
from tests.validation.support import (
    A,
    as_request,
    close,
    count,
    events,
    fresh,
    last_mail_id,
    mail,
    open_round,
    sign,
    sign_form,
    text_of,
    world,
)

KK = {"p1": "Саясат негізді.", "p2": "Қолжетімділік біркелкі емес."}
EN = {"p1": "Policy is sound.", "p2": "Access is uneven."}


@pytest.fixture
def w(app, request_context):
    w = world()
    w.assessment.languages = "ru,kk,en"     # the draft's source: ru, the first
    db.session.commit()
    return w


def translate(version, language, texts: dict, *, machine=False) -> Edition:
    """An edition as a translator leaves it (the ORM path of mab.editions.services)."""
    edition = next((e for e in version.editions if e.language == language), None)
    if edition is None:
        edition = Edition(language=language, blocks=[])
        version.editions.append(edition)
    blocks = edition.blocks or []
    for block_id, text in texts.items():
        blocks = edition_rules.translate(blocks, version.blocks, block_id, text)
    edition.blocks, edition.machine_assisted = blocks, machine
    db.session.commit()
    return edition


def ids(version):
    return [b["id"] for b in version.blocks]


def texts(version, words: dict) -> dict:
    """``words`` keyed p1, p2 ... as the version's own paragraph ids, in order."""
    return dict(zip(ids(version), words.values(), strict=False))


def open_form(w, *, confirm_end=True):
    return {"version_id": str(w.version.id),
            "deadline": (w.assessment.today() + timedelta(days=7)).isoformat(),
            "meeting_id": "", "confirm_end": "1" if confirm_end else ""}


# --- opening: the freeze and the manifest -------------------------------------------------------

def test_opening_freezes_every_edition_and_signs_the_manifest(w):
    kk = translate(w.version, "kk", texts(w.version, KK))
    en = translate(w.version, "en", texts(w.version, {"p1": EN["p1"]}), machine=True)
    first = last_mail_id()
    round_ = open_round(w)
    kk, en = fresh(kk), fresh(en)
    assert kk.frozen and en.frozen
    assert (f"SHA-256 of the version and its 2 translations: {round_.version_sha256}"
            in mail(first, "validation_opened")[0].body_text)
    assert kk.sha256 == edition_rules.edition_hash("kk", kk.blocks)
    assert en.sha256 == edition_rules.edition_hash("en", en.blocks)
    source, en_row, kk_row = round_.editions
    assert source == {"language": "ru", "sha256": w.version.sha256, "source": True, "total": 2,
                      "current": 2, "outdated": 0, "missing": 0, "machine_assisted": False}
    assert (kk_row["language"], kk_row["sha256"], kk_row["current"]) == ("kk", kk.sha256, 2)
    assert (en_row["current"], en_row["missing"], en_row["machine_assisted"]) == (1, 1, True)
    assert round_.version_sha256 == edition_rules.manifest_hash(
        "ru", w.version.sha256, [("en", en.sha256), ("kk", kk.sha256)])
    assert round_.version_sha256 != w.version.sha256
    [event] = events("validation.opened")
    assert event.changes["sha256"] == round_.version_sha256
    assert event.changes["editions"] == round_.editions


def test_a_sign_off_carries_the_manifest_hash(w):
    translate(w.version, "kk", texts(w.version, KK))
    round_ = open_round(w)
    row = sign(w, round_)
    assert row.version_sha256 == round_.version_sha256 != w.version.sha256
    with pytest.raises(DomainError):   # the source version's own hash is not what is signed
        services.sign(round_, w.assessment, w.m("member2"), decision="endorse", statement="",
                      seen_sha256=w.version.sha256, replaces=None)
    db.session.rollback()


def test_a_frozen_edition_cannot_be_saved_after_opening(w):
    kk = translate(w.version, "kk", texts(w.version, {"p1": KK["p1"]}))
    open_round(w)
    kk = fresh(kk)
    assert kk.frozen
    from mab.editions.services import save_paragraph
    with pytest.raises(DomainError) as caught:
        save_paragraph(w.version, "kk", ids(w.version)[1], KK["p2"], revision=kk.revision,
                       actor=w.people["researcher"], assessment=w.assessment)
    db.session.rollback()
    assert "frozen" in str(caught.value.message)
    assert len(fresh(kk).blocks) == 1


def test_a_version_without_editions_signs_its_own_hash(w):
    round_ = open_round(w)
    assert round_.editions is None and round_.version_sha256 == w.version.sha256
    assert "editions" not in events("validation.opened")[0].changes


# --- the policy: validate only complete editions -----------------------------------------------

def test_an_incomplete_required_edition_keeps_the_round_closed(client, login, w):
    w.assessment.required_languages = "kk,en"
    db.session.commit()
    kk = translate(w.version, "kk", texts(w.version, {"p1": KK["p1"]}))
    en = translate(w.version, "en", texts(w.version, EN))
    first = last_mail_id()
    login(w.people["coordinator"])
    response = client.post(f"{A}/validation", data=open_form(w))
    assert response.status_code == 422
    page = text_of(response)
    # Named with its figures; the complete English edition is not.
    assert ("Only complete translations can be validated (the assessment's policy), and these "
            "required editions are not complete yet: Қазақша (1 of 2 paragraphs).") in page
    # Nothing changed: no round, no frozen edition, no mail, no event, the consultation runs on.
    assert count(ValidationRound) == 0 and not mail(first)
    assert not fresh(kk).frozen and not fresh(en).frozen and fresh(kk).sha256 is None
    assert events("validation.opened") == [] and fresh(w.version).circulation.ended_early_at is None


def test_a_required_language_without_any_translation_is_named(w):
    w.assessment.required_languages = "en"
    db.session.commit()
    with as_request(), pytest.raises(services.IncompleteEditions) as caught:
        services.open_round(w.version, w.assessment,
                            deadline=w.assessment.today() + timedelta(days=7),
                            actor=w.people["coordinator"], end_consultation=True)
    db.session.rollback()
    assert "English (Not started)" in str(caught.value.message)
    assert count(ValidationRound) == 0


def test_an_outdated_paragraph_is_incomplete(w):
    w.assessment.required_languages = "kk"
    kk = translate(w.version, "kk", texts(w.version, KK))
    kk.blocks = [dict(b, source_hash=edition_rules.paragraph_hash("An older source."))
                 if b["id"] == ids(w.version)[1] else b for b in kk.blocks]
    db.session.commit()
    with as_request(), pytest.raises(services.IncompleteEditions) as caught:
        services.open_round(w.version, w.assessment,
                            deadline=w.assessment.today() + timedelta(days=7),
                            actor=w.people["coordinator"], end_consultation=True)
    db.session.rollback()
    assert "Қазақша (1 of 2 paragraphs · 1 outdated)" in str(caught.value.message)


def test_complete_required_editions_open_and_other_editions_need_not_be(w):
    w.assessment.required_languages = "kk"
    db.session.commit()
    translate(w.version, "kk", texts(w.version, KK))
    translate(w.version, "en", texts(w.version, {"p1": EN["p1"]}))
    round_ = open_round(w)
    assert [r["language"] for r in round_.editions] == ["ru", "en", "kk"]


def test_with_the_policy_off_incomplete_editions_are_validated_as_they_are(w):
    w.assessment.required_languages = "kk"
    w.assessment.validate_complete_only = False
    db.session.commit()
    translate(w.version, "kk", texts(w.version, {"p1": KK["p1"]}))
    round_ = open_round(w)
    assert round_.editions[1]["missing"] == 1


# --- the pages ---------------------------------------------------------------------------------

def test_the_round_page_and_the_sign_form_show_the_manifest(client, login, w):
    kk = translate(w.version, "kk", texts(w.version, KK))
    round_ = open_round(w)
    kk = fresh(kk)
    login(w.people["board_member"])
    page = text_of(client.get(f"{A}/validation/{round_.id}"))
    assert "Editions signed" in page
    assert f"Русский Source {w.version.sha256}" in page
    assert f"Қазақша Complete human translation {kk.sha256}" in page
    assert ("You are deciding on version 1 of “Policy findings” in its editions (Русский, "
            f"Қазақша), SHA-256 of the editions: {round_.version_sha256}") in page
    response = client.post(f"{A}/validation/{round_.id}/sign", data=sign_form(round_))
    assert response.status_code == 302
    [row] = db.session.scalars(select(SignOff)).all()
    assert row.version_sha256 == round_.version_sha256


def test_the_certificate_lists_each_edition_with_its_hash_and_status(client, login, w):
    kk = translate(w.version, "kk", texts(w.version, KK))
    en = translate(w.version, "en", texts(w.version, {"p1": EN["p1"]}), machine=True)
    round_ = open_round(w)
    sign(w, round_)
    sign(w, round_, "member2")
    close(w, round_)
    kk, en = fresh(kk), fresh(en)
    login(w.people["observer"])
    page = text_of(client.get(f"{A}/validation/{round_.id}/certificate"))
    assert f"SHA-256 of the editions {round_.version_sha256}" in page
    assert f"Русский Source {w.version.sha256}" in page
    assert f"Қазақша Complete human translation {kk.sha256}" in page
    assert f"English 1 of 2 paragraphs machine-assisted translation {en.sha256}" in page


def test_a_one_language_certificate_has_no_editions_section(client, login, w):
    round_ = open_round(w)
    sign(w, round_)
    close(w, round_)
    login(w.people["observer"])
    page = text_of(client.get(f"{A}/validation/{round_.id}/certificate"))
    assert "Editions" not in page and f"SHA-256 {w.version.sha256}" in page


# --- the report annex ---------------------------------------------------------------------------

def test_the_annex_lists_the_editions_a_round_signed(w, client, login):
    translate(w.version, "kk", texts(w.version, KK))
    translate(w.version, "en", texts(w.version, EN))
    round_ = open_round(w)
    manifest = [e["sha256"] for e in round_.editions]
    login(w.people["coordinator"])
    page = client.get(f"{A}/annex?lang=en").get_data(as_text=True)
    assert "SHA-256 of the editions" in page and round_.version_sha256 in page
    assert all(sha in page for sha in manifest) and len(manifest) == 3
    import io
    import zipfile
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{A}/annex.zip").data))
    rounds = next(n for n in archive.namelist() if n.endswith("validation_rounds.csv"))
    row = archive.read(rounds).decode("utf-8-sig").splitlines()[1]
    assert all(f"{e['language']} {e['sha256']}" in row for e in round_.editions)
