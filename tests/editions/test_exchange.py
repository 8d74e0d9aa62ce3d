"""XLIFF 2.0 and CSV exchange with translators (pure): the export's structure, the round trip
(including a paragraph whose source changed after the export), what an import applies, skips
and refuses, and the XML it will not read."""
import xml.etree.ElementTree as ET

import pytest

from mab.editions import exchange
from mab.editions.rules import CURRENT, MISSING, OUTDATED, paragraph_hash, statuses, translate

NS = {"x": exchange.XLIFF_NS, "mda": exchange.MDA_NS}
SOURCE = [{"id": "p1", "text": "Политика обоснована."},
          {"id": "p2", "text": "Доступ неравен:\n- в сёлах\n- в горах"},
          {"id": "p4", "text": "Нужны данные."}]


def edition(*pairs, source=SOURCE):
    blocks = []
    for block_id, text in pairs:
        blocks = translate(blocks, source, block_id, text)
    return blocks


def units(data: bytes) -> dict:
    root = ET.fromstring(data)
    return {u.get("id"): u for u in root.iterfind(".//x:unit", NS)}


def fill(data: bytes, targets: dict, state="translated") -> bytes:
    """What a translation tool hands back: the targets written and the segments marked."""
    root = ET.fromstring(data)
    for unit in root.iterfind(".//x:unit", NS):
        if unit.get("id") in targets:
            segment = unit.find("x:segment", NS)
            target = segment.find("x:target", NS)
            if target is None:
                target = ET.SubElement(segment, f"{{{exchange.XLIFF_NS}}}target")
            target.text = targets[unit.get("id")]
            segment.set("state", state)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def parse(data, source="ru", target="kk"):
    return exchange.parse_xliff(data, source_language=source, target_language=target)


# --- the export ---------------------------------------------------------------------------------

def test_the_xliff_has_one_unit_per_source_paragraph_with_its_hash_and_state():
    outdated = edition(("p1", "Саясат негізді."), ("p2", "Ескі аударма."))
    outdated[1]["source_hash"] = paragraph_hash("Доступ был неравен.")
    data = exchange.build_xliff("ru", "kk", SOURCE, outdated, original="kz-2022/drafts/3/v/2")
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(data)
    assert root.tag == f"{{{exchange.XLIFF_NS}}}xliff"
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "ru", "kk")
    file_ = root.find("x:file", NS)
    assert file_.get("id") == "f1" and file_.get("original") == "kz-2022/drafts/3/v/2"
    assert file_.get(f"{{{exchange.XML_NS}}}space") == "preserve"
    found = units(data)
    assert list(found) == ["p1", "p2", "p4"]
    for block in SOURCE:
        unit = found[block["id"]]
        # The schema's order: module elements (the metadata) first, then the segment.
        assert [child.tag.split("}")[1] for child in unit] == ["metadata", "segment"]
        [meta] = unit.findall("mda:metadata/mda:metaGroup/mda:meta", NS)
        assert meta.get("type") == "source-sha256" and meta.text == paragraph_hash(block["text"])
        assert unit.find("x:segment/x:source", NS).text == block["text"]
    assert found["p1"].find("x:segment", NS).get("state") == "translated"      # current
    assert found["p2"].find("x:segment", NS).get("state") == "initial"         # outdated
    assert found["p2"].find("x:segment/x:target", NS).text == "Ескі аударма."
    assert found["p4"].find("x:segment", NS).get("state") == "initial"         # missing
    assert found["p4"].find("x:segment/x:target", NS) is None
    assert "\n- в сёлах\n" in found["p2"].find("x:segment/x:source", NS).text  # lines kept


def test_characters_xml_cannot_carry_are_left_out():
    data = exchange.build_xliff("ru", "kk", [{"id": "p1", "text": "Bell\x07 here"}], [])
    assert units(data)["p1"].find("x:segment/x:source", NS).text == "Bell here"


# --- the round trip -----------------------------------------------------------------------------

def apply(plan, blocks, source=SOURCE):
    for block_id, text in plan.apply:
        blocks = translate(blocks, source, block_id, text)
    return blocks


def test_an_xliff_round_trip_fills_the_edition():
    exported = exchange.build_xliff("ru", "kk", SOURCE, [])
    back = fill(exported, {"p1": "Саясат негізді.", "p2": "Қолжетімділік:\n- ауылда\n- тауда",
                           "p4": "Деректер керек."})
    plan = exchange.plan(parse(back), SOURCE, [])
    assert [i for i, _t in plan.apply] == ["p1", "p2", "p4"] and not plan.refused
    blocks = apply(plan, [])
    assert statuses(SOURCE, blocks) == {"p1": CURRENT, "p2": CURRENT, "p4": CURRENT}
    assert blocks[1]["text"] == "Қолжетімділік:\n- ауылда\n- тауда"
    # Exported again, the same file changes nothing.
    again = exchange.build_xliff("ru", "kk", SOURCE, blocks)
    assert exchange.plan(parse(again), SOURCE, blocks).apply == []


def test_a_paragraph_whose_source_changed_since_the_export_is_refused_and_listed():
    exported = exchange.build_xliff("ru", "kk", SOURCE, [])
    back = fill(exported, {"p1": "Саясат негізді.", "p2": "Қолжетімділік біркелкі емес.",
                           "p4": "Деректер керек."})
    revised = [SOURCE[0], {"id": "p2", "text": "Доступ по-прежнему неравен."}, SOURCE[2]]
    plan = exchange.plan(parse(back), revised, [])
    assert [i for i, _t in plan.apply] == ["p1", "p4"]
    assert [(p.id, p.number, p.message) for p in plan.outdated] == [
        ("p2", 2, "Paragraph 2: the source changed since this file was exported.")]
    blocks = apply(plan, [], revised)
    assert statuses(revised, blocks) == {"p1": CURRENT, "p2": MISSING, "p4": CURRENT}


def test_unknown_and_repeated_paragraphs_are_listed():
    exported = exchange.build_xliff("ru", "kk", SOURCE + [{"id": "p9", "text": "Удалён."}], [])
    segments = parse(fill(exported, {"p1": "Бір.", "p9": "Жойылған."}))
    plan = exchange.plan(segments + [segments[0]], SOURCE, [])      # p1 a second time
    assert [i for i, _t in plan.apply] == ["p1"]
    assert [p.message for p in plan.unknown] == ["“p9”: this version has no such paragraph."]
    assert [p.message for p in plan.duplicates] == [
        "Paragraph 1: it appears more than once in the file; the first is used."]


def test_segments_left_initial_or_empty_are_not_imported():
    exported = exchange.build_xliff("ru", "kk", SOURCE, [])
    back = fill(exported, {"p1": "Машина ұсынған."}, state="initial")
    plan = exchange.plan(parse(back), SOURCE, [])
    assert plan.apply == [] and plan.untranslated == 3 and plan.unchanged == 0


def test_an_outdated_translation_counts_only_once_the_translator_marks_it_done():
    revised = [SOURCE[0], {"id": "p2", "text": "Доступ неравен везде."}, SOURCE[2]]
    old = edition(("p2", "Қолжетімділік біркелкі емес."))
    assert statuses(revised, old)["p2"] == OUTDATED
    exported = exchange.build_xliff("ru", "kk", revised, old)
    untouched = exchange.plan(parse(exported), revised, old)       # handed back as it was
    assert untouched.apply == [] and untouched.untranslated == 3
    confirmed = fill(exported, {"p2": "Қолжетімділік біркелкі емес."})
    plan = exchange.plan(parse(confirmed), revised, old)
    assert plan.apply == [("p2", "Қолжетімділік біркелкі емес.")]
    assert statuses(revised, apply(plan, old, revised))["p2"] == CURRENT


def test_a_tool_that_split_a_paragraph_into_sentences_gives_it_back_whole():
    data = f"""<?xml version="1.0"?>
<xliff xmlns="{exchange.XLIFF_NS}" version="2.0" srcLang="ru-RU" trgLang="kk-KZ">
 <file id="f1"><unit id="p1">
  <segment state="translated"><source>Политика </source><target>Саясат </target></segment>
  <ignorable><source> </source></ignorable>
  <segment state="final"><source>обоснована.</source><target><mrk id="m1">негізді</mrk>.</target></segment>
 </unit></file></xliff>""".encode()
    [segment] = parse(data)
    # No metadata: the hash of the source text the file carries stands in for it.
    assert segment.source_hash == paragraph_hash("Политика  обоснована.")
    assert segment.target == "Саясат негізді." and segment.state == "translated"


# --- what is not read ---------------------------------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru" trgLang="kk">
<file id="f1"><unit id="p1"><segment><source>&lol2;</source></segment></unit></file></xliff>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru" trgLang="kk">
<file id="f1"><unit id="p1"><segment><source>&secret;</source></segment></unit></file></xliff>"""


@pytest.mark.parametrize("data", [LAUGHS, EXTERNAL, b'<!DOCTYPE xliff SYSTEM "x.dtd"><xliff/>'])
def test_a_document_type_or_entity_is_refused(data):
    with pytest.raises(exchange.ExchangeError) as caught:
        parse(data)
    assert "declares a document type or entities" in caught.value.message


@pytest.mark.parametrize("data, words", [
    (b"<xliff version='2.0'", "not well-formed XML (line 1)"),
    (b"\xff\xfe<\x00x\x00", "not well-formed XML"),
    (b"<html/>", "not an XLIFF 2 document"),
    (b"<xliff xmlns='urn:oasis:names:tc:xliff:document:1.2' version='1.2'/>",
     "not an XLIFF 2 document"),
    (f"<xliff xmlns='{exchange.XLIFF_NS}' version='2.0' srcLang='ru' trgLang='en'/>".encode(),
     "translates from “ru” into “en”, not from “ru” into “kk”"),
])
def test_files_that_are_not_this_editions_xliff_are_refused(data, words):
    with pytest.raises(exchange.ExchangeError) as caught:
        parse(data)
    assert words in caught.value.message


def test_only_xliff_and_csv_files_are_read():
    with pytest.raises(exchange.ExchangeError) as caught:
        exchange.parse(b"x", "notes.txt", source_language="ru", target_language="kk")
    assert "XLIFF file (.xlf or .xliff) or a CSV file" in caught.value.message


# --- CSV ----------------------------------------------------------------------------------------

def test_the_csv_has_a_bom_the_four_columns_and_neutralised_cells():
    data = exchange.build_csv(SOURCE, edition(("p1", "=Саясат")))
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "paragraph_id,source_hash,source,translation"
    assert lines[1] == f"p1,{paragraph_hash(SOURCE[0]['text'])},Политика обоснована.,'=Саясат"


def test_a_csv_round_trip_including_an_outdated_paragraph():
    exported = exchange.build_csv(SOURCE, [])
    text = exported.decode("utf-8-sig")
    rows = [line.split(",") for line in text.split("\r\n")[1:] if line]
    filled = "paragraph_id,source_hash,source,translation\r\n" + "".join(
        f"{row[0]},{row[1]},x,{word}\r\n"
        for row, word in zip(rows, ["- Бір", "Екі", "Үш"], strict=True))
    revised = [SOURCE[0], {"id": "p2", "text": "Новый текст."}, SOURCE[2]]
    plan = exchange.plan(exchange.parse_csv(filled.encode()), revised, [])
    assert plan.apply == [("p1", "- Бір"), ("p4", "Үш")]
    assert [p.number for p in plan.outdated] == [2]


def test_a_csv_row_with_the_same_text_changes_nothing_even_if_outdated():
    revised = [SOURCE[0], {"id": "p2", "text": "Новый текст."}, SOURCE[2]]
    old = edition(("p2", "Екі"))
    data = exchange.build_csv(revised, old)
    plan = exchange.plan(exchange.parse_csv(data), revised, old)
    assert plan.apply == [] and plan.unchanged == 1 and plan.untranslated == 2


@pytest.mark.parametrize("data, words", [
    (b"id,text\r\np1,x\r\n", "lacks the columns paragraph_id, source_hash, source, translation"),
    ("paragraph_id,source_hash,source,translation\r\n".encode("utf-16"), "not UTF-8"),
])
def test_a_csv_that_cannot_be_read_says_why(data, words):
    with pytest.raises(exchange.ExchangeError) as caught:
        exchange.parse_csv(data)
    assert words in caught.value.message
