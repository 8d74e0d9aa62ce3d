"""The report as a Word document (issue 20 item 2), for the national team to hand to a publisher.

``render(report)`` reads only the plain Report (mab.report.model) and writes, with python-docx:
a title page (title, language, date of assembly, manifest hash), a table of contents (a Word TOC
field holding the section list, which Word refreshes with page numbers), each section under a
real Word heading (Heading 1/2/3 by its level, its number first), the findings' Markdown as Word
paragraphs (rendered to sanitised HTML by mab.markdown, then walked: paragraphs, bold, italic,
links as hyperlinks, bullet and numbered lists in Word's list styles, tables, headings one level
below their section), citations ``[@src-N]`` as the report's numbers ``[n]``, the provenance
line under each finding, the recommendations as tables, the references, the data gaps and the
annex. A placeholder (no validated finding yet) is written, marked as the team's, only when the
Report holds one: ``Report.public()`` has none.

Every text is in the report's language (``force_locale``); the work is linear in the report's
size (each paragraph appended once, the citation numbers looked up in a dict)."""
import io
import re
from datetime import date

from bs4 import BeautifulSoup, NavigableString, Tag
from babel import Locale
from docx import Document
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.numbering import CT_Num
from docx.oxml.table import CT_Tbl
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.shared import Pt, RGBColor
from flask import has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from mab.auth.models import GENDER_LABELS
from mab.evidence.coverage import GAP_LABELS
from mab.evidence.models import SOURCE_KIND_LABELS
from mab.evidence.rules import REFERENCE
from mab.i18n import date_filter
from mab.markdown import render_paragraph
from mab.recommendations.models import FOLLOW_UP_LABELS, PRIORITY_LABELS, TIME_FRAME_LABELS
from mab.report.model import RECOMMENDATIONS, Report, Section
from mab.report.render import gap_rows

MAX_HEADING = 9
# Word refuses control characters in its XML; a stored text could carry one.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SMALL = Pt(8)
GREY = RGBColor(0x55, 0x55, 0x55)
LINK = RGBColor(0x05, 0x63, 0xC1)
MONO = "Courier New"
INLINE = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "code": "code",
          "del": "strike", "sup": "superscript", "sub": "subscript", "abbr": None}
BLOCKS = {"p", "ul", "ol", "table", "blockquote", "pre", "hr",
          "h1", "h2", "h3", "h4", "h5", "h6"}


# --- small pure helpers -----------------------------------------------------------------------

def citation_numbers(report: Report) -> dict[int, int]:
    """A source's own number -> its number in the report's reference list."""
    return {r.source_number: r.number for s in report.sections for r in s.references}


def cite(text: str, numbers: dict[int, int]) -> str:
    """``[@src-N]`` as the report's ``[n]`` (a source outside the list keeps its own number)."""
    return REFERENCE.sub(lambda m: f"[{numbers.get(int(m.group(1)), int(m.group(1)))}]", text)


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


def heading_text(section: Section) -> str:
    return f"{section.number} {section.title}".strip() if section.number else section.title


def heading_level(level: int) -> int:
    return min(max(1, level), MAX_HEADING)


def language_name(code: str) -> str:
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, TypeError):
        return code
    return name[:1].upper() + name[1:]


def long_date(value) -> str:
    """A date (or an ISO string) in words in the current (the report's) language, its year in
    four digits, as the report page writes it."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if value is None:
        return ""
    return date_filter(value, "long")


# --- Word pieces python-docx has no call for ------------------------------------------------------

def add_hyperlink(paragraph, url: str, text: str, *, bold=False, italic=False):
    """A real Word hyperlink (blue, underlined) to an external address."""
    part = paragraph.part
    r_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(LINK))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    for flag, tag in ((bold, "w:b"), (italic, "w:i")):
        if flag:
            props.append(OxmlElement(tag))
    props.append(color)
    props.append(underline)
    run.append(props)
    text_element = OxmlElement("w:t")
    text_element.text = clean(text)
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)
    return link


def _field_char(run, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    run._r.append(element)


def _instruction(run, text: str) -> None:
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run._r.append(element)


class Numbering:
    """Each numbered list of the text starts at 1: a new Word numbering instance of the
    "List Number" style's definition, with its start overridden."""

    def __init__(self, document):
        self.document = document
        self.abstract_id = None
        self.next_id = None
        self._found = False

    def _abstract(self):
        if not self._found:
            self._found = True
            style = self.document.styles["List Number"]
            num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
            if num_pr is not None and num_pr.numId is not None:
                numbering = self.document.part.numbering_part.element
                num = numbering.num_having_numId(num_pr.numId.val)
                self.abstract_id = num.abstractNumId.val
        return self.abstract_id

    def restart(self) -> int | None:
        """A new numbering instance starting at 1 (None when the template has none)."""
        abstract = self._abstract()
        if abstract is None:
            return None
        numbering = self.document.part.numbering_part.element
        if self.next_id is None:
            self.next_id = max((int(n) for n in numbering.xpath("./w:num/@w:numId")),
                               default=0) + 1
        num = CT_Num.new(self.next_id, abstract)
        self.next_id += 1
        numbering.append(num)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        return num.numId


def _use_numbering(paragraph, num_id: int | None, level: int) -> None:
    if num_id is None:
        return
    props = paragraph._p.get_or_add_pPr()
    num_pr = props.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


# --- the writer ---------------------------------------------------------------------------------

class Writer:
    def __init__(self, report: Report, *, certificate_url=None, assembled_on=None):
        self.report = report
        self.numbers = citation_numbers(report)
        self.certificate_url = certificate_url
        self.assembled_on = assembled_on or date.today()
        self.doc = Document()
        self.body = self.doc.element.body
        self.block_width = self.doc._block_width
        self.numbering = Numbering(self.doc)
        self.styles = {s.name for s in self.doc.styles}
        self._style_cache = {}

    def style_id(self, name: str, fallback: str = "Normal") -> str | None:
        """The style's id, looked up once (python-docx's own lookup scans every style on each
        paragraph; None for the default paragraph style)."""
        if name not in self._style_cache:
            style = self.doc.styles[name if name in self.styles else fallback]
            self._style_cache[name] = None if style.name == "Normal" else style.style_id
        return self._style_cache[name]

    def paragraph(self, text: str = "", style: str = "Normal"):
        # Appended at the body's end (the section properties are moved last when saving):
        # python-docx's add_paragraph looks for them through every paragraph before it.
        element = OxmlElement("w:p")
        self.body.append(element)
        paragraph = Paragraph(element, self.doc._body)
        style_id = self.style_id(style)
        if style_id is not None:
            paragraph._p.style = style_id
        if text:
            paragraph.add_run(clean(text))
        return paragraph

    def heading(self, text: str, level: int):
        return self.paragraph(text, f"Heading {heading_level(level)}")

    # --- the parts -----------------------------------------------------------------------------

    def title_page(self) -> None:
        report = self.report
        self.doc.core_properties.title = report.title
        self.doc.core_properties.language = report.language
        self.paragraph(report.title, "Title")
        self.paragraph(_("Language: %(language)s", language=language_name(report.language)),
                       "Subtitle")
        self.paragraph(_("Assembled on %(date)s", date=long_date(self.assembled_on)))
        if report.manifest_sha256:
            line = self.paragraph(_("Manifest of this report (SHA-256 over its parts):") + " ")
            line.add_run(report.manifest_sha256).font.name = MONO
            for run in line.runs:
                run.font.size = SMALL
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def contents(self) -> None:
        """A TOC field over Heading 1-3 whose current result is the section list (Word adds the
        page numbers when it updates the field; the document asks it to on opening)."""
        entries = [s for s in self.report.sections if s.level <= 3]
        self.paragraph(_("Contents"), "TOC Heading" if "TOC Heading" in self.styles
                       else "Heading 1").paragraph_format.keep_with_next = True
        first = self.paragraph()
        _field_char(first.add_run(), "begin")
        _instruction(first.add_run(), ' TOC \\o "1-3" \\h \\z \\u ')
        _field_char(first.add_run(), "separate")
        last = first
        for n, section in enumerate(entries):
            line = first if n == 0 else self.paragraph()
            line.paragraph_format.left_indent = Pt(14 * (min(section.level, 3) - 1))
            line.add_run(heading_text(section))
            last = line
        _field_char(last.add_run(), "end")
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def section(self, section: Section) -> None:
        self.heading(heading_text(section), section.level)
        if section.placeholder:
            note = self.paragraph()
            note.add_run(_("Visible to the research team only.")).bold = True
            note.add_run(" " + (_("No recommendation has been validated yet.")
                                if section.kind == RECOMMENDATIONS else
                                _("No validated finding yet: this indicator is left out of the "
                                  "published report until the board validates one.")))
            for run in note.runs:
                run.italic = True
                run.font.color.rgb = GREY
        for paragraph in section.paragraphs:
            self.markdown(paragraph.text, section.level)
        if section.provenance is not None:
            self.provenance(section)
        if section.recommendations:
            self.recommendations(section)
        if section.references:
            self.references(section)
        if section.gaps:
            self.gaps(section)
        if section.annex:
            self.annex(section.annex, section.level)

    def provenance(self, section: Section) -> None:
        p = section.provenance
        when = long_date(p.validated_on)
        text = (_("Version %(number)s, validated on %(date)s", number=p.version, date=when)
                if p.passed else
                _("version %(number)s", number=p.version) + ": "
                + _("not validated (closed on %(date)s)", date=when))
        line = self.paragraph()
        line.add_run(f"{text} · SHA-256 {p.sha256[:12]}…" if p.sha256 else text)
        url = self.certificate_url(p) if self.certificate_url else None
        if url:
            line.add_run(" · ")
            add_hyperlink(line, url, _("Validation certificate"))
        for run in line.runs:
            run.font.size = SMALL
            run.font.color.rgb = GREY

    def recommendations(self, section: Section) -> None:
        """The section's recommendations as a table; grouped under their first category when
        they span several (the report's own sections group them otherwise)."""
        groups: dict[str, list] = {}
        for rec in section.recommendations:
            groups.setdefault(rec.categories[0] if rec.categories else "", []).append(rec)
        titled = len(groups) > 1
        n = 0
        for category, recs in groups.items():
            if titled:
                self.heading(category or _("Other recommendations"), section.level + 1)
            headers = [_("Recommendation"), _("Addressed to"), _("Priority"), _("Time frame"),
                       _("Responsible actor"), _("Follow-up")]
            table = self._table(headers)
            for rec in recs:
                n += 1
                cells = table.add_row().cells
                cells[0].paragraphs[0].add_run(f"{n}. ")
                self.inline_markdown(cells[0].paragraphs[0], rec.text)
                cells[1].paragraphs[0].add_run("; ".join(rec.groups))
                cells[2].paragraphs[0].add_run(str(PRIORITY_LABELS.get(rec.priority, "")))
                cells[3].paragraphs[0].add_run(str(TIME_FRAME_LABELS.get(rec.time_frame, "")))
                cells[4].paragraphs[0].add_run(rec.responsible)
                cells[5].paragraphs[0].add_run(str(FOLLOW_UP_LABELS[rec.status])
                                               if rec.status in FOLLOW_UP_LABELS
                                               else _("No update yet"))

    def references(self, section: Section) -> None:
        for ref in section.references:
            line = self.paragraph()
            line.paragraph_format.left_indent = Pt(24)
            line.paragraph_format.first_line_indent = Pt(-24)
            line.add_run(f"[{ref.number}]\t")
            line.add_run(ref.title).italic = True
            details = [d for d in (ref.publisher, str(ref.year) if ref.year else "",
                                   str(SOURCE_KIND_LABELS.get(ref.kind, ""))) if d]
            if details:
                line.add_run(". " + ", ".join(details))
            line.add_run(". ")
            if ref.url:
                add_hyperlink(line, ref.url, ref.url)

    def gaps(self, section: Section) -> None:
        table = self._table([_("Indicator"), _("Why it is a gap")])
        for code, title, reasons in gap_rows(section.gaps):
            cells = table.add_row().cells
            cells[0].paragraphs[0].add_run(clean(f"{code} {title}".strip()))
            cells[1].paragraphs[0].add_run(
                "; ".join(str(GAP_LABELS.get(r, r)) for r in reasons))

    def annex(self, data, level: int) -> None:
        """The annex's public figures as mab.report.assembly shapes them (the board's table by
        group and gender, the meetings held, the consultations, the validation rounds), as the
        report page shows them; anything else generically."""
        if isinstance(data, dict) and isinstance(data.get("board"), dict) \
                and "rows" in data["board"]:
            self.annex_figures(data, level)
            return
        self.annex_generic(data, level)

    def annex_figures(self, data: dict, level: int) -> None:
        board = data["board"]
        genders = board.get("genders", [])
        self.heading(_("The board by stakeholder group and gender, on %(date)s",
                       date=long_date(data.get("on", ""))), level + 1)
        headers = [_("Group"), *[str(GENDER_LABELS.get(k, k)) if k != "undisclosed"
                                 else _("Not disclosed") for k in genders], _("Total")]
        table = self._table(headers)
        hidden = False

        def cell(value):
            nonlocal hidden
            if value is None:
                hidden = True
                return "*"
            return str(value)

        for row in board.get("rows", []):
            cells = table.add_row().cells
            values = [row.get("group") or _("No group"),
                      *[cell(row.get("cells", {}).get(k)) for k in genders], str(row["total"])]
            for word_cell, value in zip(cells, values, strict=True):
                word_cell.paragraphs[0].add_run(clean(value))
        totals = table.add_row().cells
        # A hidden row's genders would be the totals' less the rows shown: hidden there too.
        shown_totals = board.get("totals", {}) if not hidden else {}
        values = [_("Total"), *[cell(shown_totals.get(k)) for k in genders],
                  str(board.get("total", ""))]
        for word_cell, value in zip(totals, values, strict=True):
            word_cell.paragraphs[0].add_run(value).bold = True
        if hidden:
            note = self.paragraph(_("* not shown: a number below 3 in this row could identify "
                                    "a person"))
            for run in note.runs:
                run.font.size = SMALL
        self.heading(_("Meetings held"), level + 1)
        meetings = data.get("meetings") or []
        for m in meetings:
            self.paragraph(clean(f"{long_date(m.get('date', ''))}: {m.get('title', '')} · ")
                           + _("%(present)s present of %(invited)s invited",
                               present=m.get("present", 0), invited=m.get("invited", 0)),
                           "List Bullet")
        if not meetings:
            self.paragraph(_("No meeting held yet."))
        self.heading(_("Consultations"), level + 1)
        consultations = data.get("consultations") or []
        for c in consultations:
            self.paragraph(clean(f"{c.get('title', '')} · ")
                           + ngettext("%(num)d comment", "%(num)d comments",
                                      c.get("comments", 0)), "List Bullet")
        if not consultations:
            self.paragraph(_("No draft circulated yet."))
        self.heading(_("Validation rounds"), level + 1)
        rounds = data.get("validation") or []
        for v in rounds:
            outcome = (_("validated on %(date)s", date=long_date(v.get("closed", "")))
                       if v.get("passed") else
                       _("not validated (closed on %(date)s)",
                         date=long_date(v.get("closed", ""))))
            self.paragraph(clean(f"{v.get('title', '')}, ")
                           + _("version %(number)s", number=v.get("version", ""))
                           + f": {outcome}", "List Bullet")
        if not rounds:
            self.paragraph(_("No validation round closed yet."))

    def annex_generic(self, data, level: int) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, (dict, list)):
                    if key and not str(key).startswith("_"):
                        self.heading(str(key), level + 1)
                    self.annex_generic(value, level + 1)
                elif value not in (None, ""):
                    self.paragraph(f"{key}: {value}")
        elif isinstance(data, list):
            records = [r for r in data if isinstance(r, dict)]
            if records:
                columns = list(dict.fromkeys(k for r in records for k in r))
                table = self._table(columns)
                for record in records:
                    cells = table.add_row().cells
                    for cell, column in zip(cells, columns, strict=True):
                        value = record.get(column, "")
                        cell.paragraphs[0].add_run(
                            "; ".join(map(str, value)) if isinstance(value, list)
                            else "" if value is None else str(value))
            for item in data:
                if not isinstance(item, dict):
                    self.paragraph(str(item), "List Bullet")
        elif data not in (None, ""):
            self.paragraph(str(data))

    def add_table(self, rows: int, cols: int):
        element = CT_Tbl.new_tbl(rows, cols, self.block_width)
        self.body.append(element)
        return Table(element, self.doc._body)

    def _table(self, headers: list[str]):
        table = self.add_table(1, len(headers))
        table._tbl.tblStyle_val = self.style_id("Table Grid")
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.paragraphs[0].add_run(str(text)).bold = True
        _repeat_header(table.rows[0])
        return table

    # --- Markdown ------------------------------------------------------------------------------

    def markdown(self, text: str, level: int) -> None:
        soup = BeautifulSoup(str(render_paragraph(text or "")), "html.parser")
        for node in soup.children:
            self.block(node, level)

    def inline_markdown(self, paragraph, text: str) -> None:
        """A one-paragraph Markdown text (a recommendation) into an existing paragraph."""
        soup = BeautifulSoup(str(render_paragraph(text or "")), "html.parser")
        first = True
        for node in soup.children:
            if isinstance(node, Tag) and node.name == "p":
                if not first:
                    paragraph.add_run().add_break()
                self.inline(paragraph, node, frozenset())
                first = False
            elif isinstance(node, NavigableString):
                if node.strip():
                    self.text_run(paragraph, str(node), frozenset())
            else:
                self.inline(paragraph, node, frozenset())

    def block(self, node, level: int, *, list_depth: int = 0) -> None:
        if isinstance(node, NavigableString):
            if node.strip():
                self.text_run(self.paragraph(), str(node).strip(), frozenset())
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        if name == "p":
            self.inline(self.paragraph(), node, frozenset())
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.inline(self.paragraph(style=f"Heading {heading_level(level + 1)}"), node,
                        frozenset())
        elif name in ("ul", "ol"):
            self.list(node, level, ordered=name == "ol", depth=list_depth)
        elif name == "table":
            self.html_table(node)
        elif name == "blockquote":
            for child in node.children:
                if isinstance(child, Tag) and child.name == "p":
                    self.inline(self.paragraph(style="Quote"), child, frozenset())
                else:
                    self.block(child, level)
        elif name == "pre":
            paragraph = self.paragraph()
            for n, line in enumerate(node.get_text().rstrip("\n").split("\n")):
                if n:
                    paragraph.add_run().add_break()
                paragraph.add_run(line).font.name = MONO
        elif name == "hr":
            return
        else:
            self.inline(self.paragraph(), node, frozenset())

    def list(self, node: Tag, level: int, *, ordered: bool, depth: int) -> None:
        suffix = "" if depth == 0 else f" {min(depth + 1, 3)}"
        style = ("List Number" if ordered else "List Bullet") + suffix
        num_id = self.numbering.restart() if ordered and depth == 0 else None
        for item in node.find_all("li", recursive=False):
            paragraph = self.paragraph(style=style)
            if num_id is not None:
                _use_numbering(paragraph, num_id, 0)
            nested = []
            for child in item.children:
                if isinstance(child, Tag) and child.name in ("ul", "ol"):
                    nested.append(child)
                elif isinstance(child, Tag) and child.name == "p":
                    if paragraph.runs:
                        paragraph.add_run().add_break()
                    self.inline(paragraph, child, frozenset())
                elif isinstance(child, Tag):
                    self.inline_node(paragraph, child, frozenset())
                elif isinstance(child, NavigableString) and child.strip():
                    self.text_run(paragraph, str(child).strip("\n"), frozenset())
            for sub in nested:
                self.list(sub, level, ordered=sub.name == "ol", depth=depth + 1)

    def html_table(self, node: Tag) -> None:
        rows = node.find_all("tr")
        if not rows:
            return
        width = max(len(r.find_all(["td", "th"], recursive=False)) for r in rows)
        if not width:
            return
        table = self.add_table(0, width)
        table._tbl.tblStyle_val = self.style_id("Table Grid")
        for row in rows:
            cells = row.find_all(["td", "th"], recursive=False)
            word_cells = table.add_row().cells
            for word_cell, cell in zip(word_cells, cells, strict=False):
                marks = frozenset({"bold"}) if cell.name == "th" else frozenset()
                self.inline(word_cell.paragraphs[0], cell, marks)
        if rows[0].find("th") is not None:
            _repeat_header(table.rows[0])

    def inline(self, paragraph, node: Tag, marks: frozenset) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                self.text_run(paragraph, str(child), marks)
            elif isinstance(child, Tag):
                self.inline_node(paragraph, child, marks)

    def inline_node(self, paragraph, node: Tag, marks: frozenset) -> None:
        name = node.name
        if name == "br":
            paragraph.add_run().add_break()
        elif name == "a":
            href = node.get("href", "")
            text = node.get_text()
            if href.startswith(("http://", "https://")):
                add_hyperlink(paragraph, href, text or href, bold="bold" in marks,
                              italic="italic" in marks)
            else:
                self.text_run(paragraph, text, marks)
        elif name in INLINE:
            flag = INLINE[name]
            self.inline(paragraph, node, marks | {flag} if flag else marks)
        elif name in BLOCKS:
            self.inline(paragraph, node, marks)
        else:
            self.inline(paragraph, node, marks)

    def text_run(self, paragraph, text: str, marks: frozenset) -> None:
        if not text:
            return
        if "code" not in marks:
            text = cite(text, self.numbers)
        run = paragraph.add_run(clean(text))
        if "bold" in marks:
            run.bold = True
        if "italic" in marks:
            run.italic = True
        if "strike" in marks:
            run.font.strike = True
        if "superscript" in marks:
            run.font.superscript = True
        if "subscript" in marks:
            run.font.subscript = True
        if "code" in marks:
            run.font.name = MONO

    def write(self) -> bytes:
        self.title_page()
        self.contents()
        for section in self.report.sections:
            self.section(section)
        properties = self.body.sectPr
        if properties is not None:
            self.body.remove(properties)
            self.body.append(properties)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _repeat_header(row) -> None:
    """The table's first row repeats at the top of each page."""
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def render(report: Report, *, certificate_url=None, assembled_on: date | None = None) -> bytes:
    """The DOCX of ``report``, every label in the report's language. ``certificate_url``:
    provenance -> the address of its round's certificate (None: no link)."""
    writer = Writer(report, certificate_url=certificate_url, assembled_on=assembled_on)
    if has_app_context():
        with force_locale(report.language):
            return writer.write()
    return writer.write()


