"""Exchange with professional translators: an edition's paragraphs as XLIFF 2.0 or CSV, and the
translated file read back. Pure functions over bytes and plain values; no app needed.

A file carries, for each paragraph of the source, its stable id and the hash of the source text
it was made from, so an import can tell a translation of the source as it is now from one of an
older source ("outdated": refused, and listed). XLIFF: one ``<unit id="p3">`` per paragraph,
the hash in the unit's metadata (``mda:meta type="source-sha256"``), one ``<segment>`` with
``state="initial"`` (to translate, or an outdated translation to check) or ``"translated"``.
CSV: the columns ``paragraph_id, source_hash, source, translation`` (UTF-8 with a BOM).

Untrusted XML is read with the standard library only after a first pass has refused any
document type declaration, hence any entity: nothing is expanded or fetched.
"""
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

from flask_babel import lazy_gettext as _l

from mab import csvio
from mab.editions import rules

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
HASH_TYPE = "source-sha256"
CSV_COLUMNS = ["paragraph_id", "source_hash", "source", "translation"]
DONE_STATES = frozenset({"translated", "reviewed", "final"})
# Characters XML 1.0 cannot carry (control characters but tab and line ends).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExchangeError(ValueError):
    """The file cannot be read as an exchange file: the message says why, for people."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Segment:
    """One paragraph as the file gives it back."""
    id: str
    source_hash: str          # of the source text it was translated from
    target: str
    state: str | None = None  # XLIFF's state; None in a CSV


@dataclass(frozen=True)
class Problem:
    """A paragraph of the file that is not applied, and why (for the list shown)."""
    id: str
    number: int | None        # its position in the source, from 1 (None: not in the source)
    message: str


@dataclass
class Plan:
    """What an import would do: the paragraphs to apply, and those refused with the reason."""
    apply: list[tuple[str, str]] = field(default_factory=list)   # (paragraph id, text)
    outdated: list[Problem] = field(default_factory=list)
    unknown: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)
    unchanged: int = 0
    untranslated: int = 0

    @property
    def refused(self) -> list[Problem]:
        return self.outdated + self.unknown + self.duplicates


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def _rows(source_blocks: list[dict], edition_blocks: list[dict]):
    """(id, source hash, source text, translation, status) per source paragraph."""
    by_id = {b["id"]: b for b in edition_blocks or []}
    for block in source_blocks or []:
        translated = by_id.get(block["id"])
        yield (block["id"], rules.paragraph_hash(block["text"]), block["text"],
               translated["text"] if translated else "",
               rules.paragraph_status(block, translated))


# --- XLIFF 2.0 -------------------------------------------------------------------------------

def build_xliff(source_language: str, target_language: str, source_blocks: list[dict],
                edition_blocks: list[dict], *, original: str = "") -> bytes:
    """The edition as an XLIFF 2.0 document (UTF-8): every source paragraph a unit with its
    hash; a current translation is the target in state "translated", an outdated one the target
    in state "initial" (to check against the new source), a missing one no target."""
    ET.register_namespace("", XLIFF_NS)
    ET.register_namespace("mda", MDA_NS)
    root = ET.Element(f"{{{XLIFF_NS}}}xliff", {"version": "2.0", "srcLang": source_language,
                                               "trgLang": target_language})
    attributes = {"id": "f1", f"{{{XML_NS}}}space": "preserve"}
    if original:
        attributes["original"] = original
    file_ = ET.SubElement(root, f"{{{XLIFF_NS}}}file", attributes)
    for block_id, source_hash, source, target, status in _rows(source_blocks, edition_blocks):
        unit = ET.SubElement(file_, f"{{{XLIFF_NS}}}unit", {"id": block_id})
        group = ET.SubElement(ET.SubElement(unit, f"{{{MDA_NS}}}metadata"),
                              f"{{{MDA_NS}}}metaGroup", {"category": "mab"})
        ET.SubElement(group, f"{{{MDA_NS}}}meta", {"type": HASH_TYPE}).text = source_hash
        segment = ET.SubElement(unit, f"{{{XLIFF_NS}}}segment", {
            "state": "translated" if status == rules.CURRENT else "initial"})
        ET.SubElement(segment, f"{{{XLIFF_NS}}}source").text = _clean(source)
        if target:
            ET.SubElement(segment, f"{{{XLIFF_NS}}}target").text = _clean(target)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _refuse_doctype(data: bytes) -> None:
    """A first pass that stops at any document type declaration (so no entity can be declared,
    expanded or fetched) and at anything that is not well-formed XML."""
    parser = expat.ParserCreate()

    def refuse(*_args):
        raise ExchangeError(_l("The file declares a document type or entities, which MAB does "
                               "not read: export it again as plain XLIFF 2.0."))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ExchangeError(_l("The file is not well-formed XML (line %(line)d).",
                               line=error.lineno)) from None


def _text(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _primary(language: str | None) -> str:
    return (language or "").replace("_", "-").split("-")[0].lower()


def parse_xliff(data: bytes, *, source_language: str, target_language: str) -> list[Segment]:
    """The units of an XLIFF 2.0 file translating ``source_language`` into ``target_language``.
    A unit's text is that of all its segments and ignorables in order (a translation tool may
    have split a paragraph into sentences); its state is "initial" unless every segment says
    it is done. Raises :class:`ExchangeError` for a file that is not one."""
    _refuse_doctype(data)
    root = ET.fromstring(data)
    if root.tag != f"{{{XLIFF_NS}}}xliff" or not str(root.get("version", "")).startswith("2."):
        raise ExchangeError(_l("The file is not an XLIFF 2 document: export XLIFF 2.0 from "
                               "your translation tool."))
    if (_primary(root.get("srcLang")) != _primary(source_language)
            or _primary(root.get("trgLang")) != _primary(target_language)):
        raise ExchangeError(_l("The file translates from “%(source)s” into “%(target)s”, not "
                               "from “%(expected_source)s” into “%(expected_target)s”.",
                               source=root.get("srcLang") or "—",
                               target=root.get("trgLang") or "—",
                               expected_source=source_language,
                               expected_target=target_language))
    segments = []
    for unit in root.iter(f"{{{XLIFF_NS}}}unit"):
        parts = [p for p in unit if p.tag in (f"{{{XLIFF_NS}}}segment",
                                              f"{{{XLIFF_NS}}}ignorable")]
        source = "".join(_text(p.find(f"{{{XLIFF_NS}}}source")) for p in parts)
        target = "".join(_text(p.find(f"{{{XLIFF_NS}}}target")) for p in parts)
        states = [p.get("state", "initial") for p in parts if p.tag.endswith("}segment")]
        state = "translated" if states and all(s in DONE_STATES for s in states) else "initial"
        meta = next((m for m in unit.iter(f"{{{MDA_NS}}}meta") if m.get("type") == HASH_TYPE),
                    None)
        source_hash = (meta.text or "").strip() if meta is not None else ""
        segments.append(Segment(unit.get("id", ""), source_hash or rules.paragraph_hash(source),
                                target.strip(), state))
    return segments


# --- CSV ---------------------------------------------------------------------------------------

def build_csv(source_blocks: list[dict], edition_blocks: list[dict]) -> bytes:
    """The edition as a CSV for a spreadsheet (UTF-8 with a BOM; formulas neutralised)."""
    return csvio.write_csv(CSV_COLUMNS, ([block_id, source_hash, source, target]
                                         for block_id, source_hash, source, target, _status
                                         in _rows(source_blocks, edition_blocks)))


def parse_csv(data: bytes) -> list[Segment]:
    try:
        text = csvio.decode(data)
    except UnicodeDecodeError:
        raise ExchangeError(_l("The file is not UTF-8 text.")) from None
    reader = csvio.dict_reader(text)
    missing = [c for c in CSV_COLUMNS if c not in reader.fieldnames]
    if missing:
        raise ExchangeError(_l("The file lacks the columns %(columns)s: export the CSV again "
                               "and keep its first line.", columns=", ".join(missing)))
    segments = []
    for record in reader:
        values = {k: csvio.unneutralise(v or "") for k, v in record.items() if k}
        if not any(v.strip() for v in values.values()):
            continue
        source_hash = values["source_hash"].strip() or rules.paragraph_hash(values["source"])
        segments.append(Segment(values["paragraph_id"].strip(), source_hash,
                                values["translation"].strip()))
    return segments


def parse(data: bytes, filename: str, *, source_language: str,
          target_language: str) -> list[Segment]:
    """The segments of an uploaded file, by its extension (.xlf, .xliff or .csv)."""
    name = (filename or "").lower()
    if name.endswith((".xlf", ".xliff")):
        return parse_xliff(data, source_language=source_language,
                           target_language=target_language)
    if name.endswith(".csv"):
        return parse_csv(data)
    raise ExchangeError(_l("Upload an XLIFF file (.xlf or .xliff) or a CSV file (.csv)."))


# --- the import's plan -------------------------------------------------------------------------

def plan(segments: list[Segment], source_blocks: list[dict],
         edition_blocks: list[dict]) -> Plan:
    """Check every segment against the source as it is now. Applied: a translation of the
    current source paragraph that says something new, or that the translator marked done over
    an outdated one. Refused and listed: a paragraph whose source changed since the export, an
    id the source does not have, a paragraph given twice. Skipped: an empty translation, or the
    edition's own text unchanged, and in an XLIFF a segment still in state "initial"."""
    source = {b["id"]: (n, b) for n, b in enumerate(source_blocks or [], start=1)}
    translated = {b["id"]: b for b in edition_blocks or []}
    result, seen = Plan(), set()
    for segment in segments:
        if segment.id not in source:
            result.unknown.append(Problem(segment.id, None, str(_l(
                "“%(id)s”: this version has no such paragraph.", id=segment.id or "—"))))
            continue
        number, block = source[segment.id]
        if segment.id in seen:
            result.duplicates.append(Problem(segment.id, number, str(_l(
                "Paragraph %(n)d: it appears more than once in the file; the first is used.",
                n=number))))
            continue
        seen.add(segment.id)
        if segment.source_hash != rules.paragraph_hash(block["text"]):
            result.outdated.append(Problem(segment.id, number, str(_l(
                "Paragraph %(n)d: the source changed since this file was exported.",
                n=number))))
            continue
        if not segment.target or segment.state == "initial":
            result.untranslated += 1     # XLIFF: only what the translator marked done counts
            continue
        existing = translated.get(segment.id)
        same = existing is not None and existing["text"].strip() == segment.target
        current = rules.paragraph_status(block, existing) == rules.CURRENT
        # The same text again changes nothing, unless an XLIFF marks an outdated one done: the
        # translator checked it against the new source.
        if same and (current or segment.state is None):
            result.unchanged += 1
            continue
        result.apply.append((segment.id, segment.target))
    return result
