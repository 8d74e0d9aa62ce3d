"""Exchange with translators over HTTP: the XLIFF and CSV exports, the import of the translated
file (a round trip in which the source changed after the export), a frozen edition, the file
checks, and who may do it."""
import io
import xml.etree.ElementTree as ET

import pytest

from mab.assessments.models import Role
from mab.drafts.models import Draft
from mab.editions import exchange, rules
from mab.editions.models import Edition
from mab.extensions import db
from tests.drafts.support import A, circulate, make_draft, new_version, setup
from tests.factories import make_assessment, make_member
from tests.records import events
from tests.validation.support import World, open_round, text_of

BODY = "Политика обоснована.\n\nДоступ неравен.\n\nНужны данные."
NS = {"x": exchange.XLIFF_NS}


@pytest.fixture
def w(app, request_context):
    """kz-2022 (ru, kk, en) with a draft circulated as version 1, and uz-2023 with its own."""
    assessment, people = setup()
    draft = make_draft(assessment, people["researcher"], BODY, title="Доступ")
    circulate(draft, assessment, people["researcher"])
    other = make_assessment(slug="uz-2023")
    make_member(other, Role.RESEARCHER, email="res@example.uz")
    db.session.commit()
    return {"assessment": assessment, "people": people, "draft": draft, "other": other}


def url(draft, tail, number=1, language="kk"):
    return f"{A}/drafts/{draft.id}/v/{number}/translate/{language}{tail}"


def version(draft, number=1):
    db.session.expire_all()
    return next(v for v in db.session.get(Draft, draft.id).versions if v.number == number)


def edition(draft, number=1, language="kk") -> Edition | None:
    return next((e for e in version(draft, number).editions if e.language == language), None)


def translated(data: bytes, targets: dict) -> bytes:
    """The file as a translation tool hands it back: targets written, segments marked done."""
    root = ET.fromstring(data)
    for unit in root.iterfind(".//x:unit", NS):
        if unit.get("id") in targets:
            segment = unit.find("x:segment", NS)
            target = segment.find("x:target", NS)
            if target is None:
                target = ET.SubElement(segment, f"{{{exchange.XLIFF_NS}}}target")
            target.text, segment.attrib["state"] = targets[unit.get("id")], "translated"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def upload(client, draft, data: bytes, name: str, number=1, language="kk"):
    return client.post(url(draft, "/import", number, language),
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


# --- export -------------------------------------------------------------------------------------

def test_the_translator_exports_the_edition_as_xliff(client, login, w):
    login(w["people"]["translator"])
    response = client.get(url(w["draft"], ".xlf"))
    assert response.status_code == 200
    assert response.content_type == "application/xliff+xml; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="draft-{w["draft"].id}-v1-ru-kk.xlf"')
    root = ET.fromstring(response.data)
    assert (root.get("srcLang"), root.get("trgLang")) == ("ru", "kk")
    assert [u.get("id") for u in root.iterfind(".//x:unit", NS)] == [
        b["id"] for b in version(w["draft"]).blocks]


def test_the_researcher_exports_the_edition_as_csv(client, login, w):
    login(w["people"]["researcher"])
    response = client.get(url(w["draft"], ".csv", language="en"))
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].endswith('-v1-ru-en.csv"')
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffparagraph_id,source_hash,source,translation\r\n")
    assert "Политика обоснована." in text


def test_the_exchange_page_offers_both_exports_and_the_upload(client, login, w):
    login(w["people"]["translator"])
    response = client.get(url(w["draft"], "/import"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert url(w["draft"], ".xlf") in page and url(w["draft"], ".csv") in page
    assert 'enctype="multipart/form-data"' in page
    assert "from Русский into Қазақша" in text_of(response)


# --- import: the round trip ---------------------------------------------------------------------

def test_an_xliff_round_trip_refuses_a_paragraph_revised_since_the_export(client, login, w):
    draft, people = w["draft"], w["people"]
    login(people["translator"])
    exported = client.get(url(draft, ".xlf")).data
    p1, p2, p3 = (b["id"] for b in version(draft).blocks)
    back = translated(exported, {p1: "Саясат негізді.", p2: "Қолжетімділік біркелкі емес.",
                                 p3: "Деректер керек."})
    # Meanwhile the researcher revises paragraph 2 in version 2.
    new_version(draft, w["assessment"], people["researcher"],
                "Политика обоснована.\n\nДоступ по-прежнему неравен.\n\nНужны данные.")
    assert [b["id"] for b in version(draft, 2).blocks] == [p1, p2, p3]
    response = upload(client, draft, back, "draft.xlf", number=2)
    assert response.status_code == 200
    page = text_of(response)
    assert "2 paragraphs imported." in page
    assert "Paragraph 2: the source changed since this file was exported." in page
    kk = edition(draft, 2)
    source = version(draft, 2).blocks
    assert rules.statuses(source, kk.blocks) == {p1: rules.CURRENT, p2: rules.MISSING,
                                                 p3: rules.CURRENT}
    assert [b["text"] for b in kk.blocks] == ["Саясат негізді.", "Деректер керек."]
    assert kk.updated_by_id == people["translator"].id and edition(draft, 1) is None
    [event] = events("edition.imported")
    assert event.changes == {"language": "kk", "filename": "draft.xlf",
                             "paragraphs_imported": 2, "paragraphs_refused": 1,
                             "revision": kk.revision}
    # The same file again changes nothing.
    again = text_of(upload(client, draft, back, "draft.xlf", number=2))
    assert "0 paragraphs imported." in again and "2 paragraphs unchanged." in again
    assert edition(draft, 2).revision == kk.revision


def test_a_csv_round_trip(client, login, w):
    draft = w["draft"]
    login(w["people"]["researcher"])
    text = client.get(url(draft, ".csv", language="en")).data.decode("utf-8-sig")
    rows = [line.split(",") for line in text.split("\r\n")[1:] if line]
    filled = "paragraph_id,source_hash,source,translation\r\n" + "".join(
        f"{row[0]},{row[1]},,{word}\r\n"
        for row, word in zip(rows, ["Policy is sound.", "", "- Data is needed."], strict=True))
    response = upload(client, draft, ("\ufeff" + filled).encode(), "from-translator.CSV",
                      language="en")
    assert response.status_code == 200
    page = text_of(response)
    assert "2 paragraphs imported." in page and "1 paragraph not translated in the file" in page
    en = edition(draft, language="en")
    assert [b["text"] for b in en.blocks] == ["Policy is sound.", "- Data is needed."]


# --- refusals: nothing changes ------------------------------------------------------------------

def test_a_frozen_edition_takes_no_file(client, login, w):
    draft, people = w["draft"], w["people"]
    login(people["translator"])
    exported = client.get(url(draft, ".xlf")).data
    v1 = version(draft)
    first = v1.blocks[0]["id"]
    v1.editions.append(Edition(language="kk", blocks=rules.translate([], v1.blocks, first,
                                                                      "Саясат.")))
    db.session.commit()
    world = World(w["assessment"], people, draft, version(draft), [], None)
    open_round(world)
    revision = edition(draft).revision
    response = upload(client, draft, translated(exported, {first: "Басқа."}), "draft.xlf")
    assert response.status_code == 422
    assert ("This translation is frozen: a validation round has opened on version 1, so no "
            "file can be imported into it.") in text_of(response)
    assert edition(draft).revision == revision and edition(draft).blocks[0]["text"] == "Саясат."
    assert events("edition.imported") == []
    page = client.get(url(draft, "/import")).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' not in page       # no upload offered


@pytest.mark.parametrize("name, data, words", [
    ("notes.txt", b"hello", "The file must be an XLIFF file"),
    ("evil.xlf", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
     "declares a document type or entities"),
    ("broken.xliff", b"<xliff", "not well-formed XML"),
    ("table.csv", b"a,b\r\n1,2\r\n", "lacks the columns"),
    ("empty.csv", "paragraph_id,source_hash,source,translation\r\n".encode(),
     "The file has no paragraphs to import."),
])
def test_a_file_that_cannot_be_imported_says_why_and_changes_nothing(client, login, w, name,
                                                                     data, words):
    login(w["people"]["translator"])
    response = upload(client, w["draft"], data, name)
    assert response.status_code == 422 and words in text_of(response)
    assert edition(w["draft"]) is None and events("edition.imported") == []


def test_an_xliff_of_another_language_is_refused(client, login, w):
    login(w["people"]["translator"])
    exported = client.get(url(w["draft"], ".xlf", language="en")).data
    response = upload(client, w["draft"], exported, "en.xlf")
    assert response.status_code == 422
    assert "translates from “ru” into “en”, not from “ru” into “kk”" in text_of(response)
    assert edition(w["draft"]) is None


def test_no_file_is_a_field_error(client, login, w):
    login(w["people"]["translator"])
    response = client.post(url(w["draft"], "/import"), data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose the translated file." in text_of(response)


# --- who may ------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["board_member", "observer"])
def test_readers_may_neither_export_nor_import(client, login, w, who):
    login(w["people"][who])
    for tail in (".xlf", ".csv", "/import"):
        assert client.get(url(w["draft"], tail)).status_code == 403
    assert upload(client, w["draft"], b"x", "a.csv").status_code == 403
    assert edition(w["draft"]) is None


def test_outsiders_and_other_assessments_find_nothing(client, login, w):
    login(w["people"]["outsider"])
    assert client.get(url(w["draft"], ".xlf")).status_code == 404
    login(w["people"]["translator"])
    uz_draft = make_draft(w["other"], make_member(w["other"], Role.RESEARCHER,
                                                  email="r2@example.uz"), "Чужой текст.")
    assert client.get(url(uz_draft, ".xlf")).status_code == 404
    assert upload(client, uz_draft, b"x", "a.csv").status_code == 404


@pytest.mark.parametrize("language, number", [("ru", 1), ("uz", 1), ("kk", 7)])
def test_the_source_language_an_unknown_one_or_version_is_not_found(client, login, w, language,
                                                                    number):
    login(w["people"]["translator"])
    for tail in (".xlf", ".csv", "/import"):
        assert client.get(url(w["draft"], tail, number, language)).status_code == 404


def test_the_translator_exports_an_uncirculated_version(client, login, w):
    draft = make_draft(w["assessment"], w["people"]["researcher"], "Черновик.", title="Новый")
    login(w["people"]["translator"])
    assert client.get(url(draft, ".xlf")).status_code == 200


def test_the_translations_page_links_each_language_to_its_exchange(client, login, w):
    draft = w["draft"]
    login(w["people"]["translator"])
    page = client.get(f"{A}/drafts/{draft.id}/v/1/translations").get_data(as_text=True)
    for language in ("kk", "en"):
        for tail in (".xlf", ".csv", "/import"):
            assert url(draft, tail, language=language) in page
    assert url(draft, ".xlf", language="ru") not in page      # the source is not translated
