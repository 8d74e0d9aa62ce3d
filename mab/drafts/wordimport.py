"""A Word document (.docx) as the Markdown of a draft's body.

mammoth turns the document into HTML (headings, paragraphs, lists, tables, links, bold and
italic, footnotes and endnotes, images); the HTML is rewritten here (notes, images, links the
body may not hold), sanitised with the allow-list every body is rendered with
(:mod:`mab.markdown`), then written as Markdown by markdownify.

- Notes (footnotes and endnotes) are numbered in the order the text refers to them; the
  reference in the text is ``[^n]``, and the notes follow the text under a heading of their own
  (``notes_heading``), one paragraph each, starting with ``[^n]``. The drafts' renderer has no
  footnote extension, so a reader sees ``[^1]`` as written; the Markdown footnote syntax keeps
  them recognisable.
- Images become attachments of the version (PNG and JPEG only, within the attachment size
  limit): in the text, a link ``[Figure: <alt text or file name>](<its download link>)``, never
  an inline image (uploads are only ever served as downloads). Before the attachments exist (the
  preview), the link has no target: ``[Figure: …]``.
- Whatever did not come across is listed in :attr:`Conversion.dropped`: mammoth's messages
  (styles it does not know, content it left out), images refused, formatting the sanitiser
  removes, links to places other than web or email addresses.

No app needed, but for the translated texts of ``dropped`` (lazy strings).
"""
import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field

import mammoth
import nh3
from bs4 import BeautifulSoup, NavigableString
from flask_babel import lazy_gettext as _l
from markdownify import markdownify

from mab.drafts.files import RejectedFile, check_upload, safe_filename, sniff
from mab.drafts.paragraphs import split_blocks
from mab.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

log = logging.getLogger(__name__)

# A Word document may unpack to at most this much (a "zip bomb" is refused before mammoth runs).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg"}
URL_SCHEMES = ("http:", "https:", "mailto:")
# Markers that stand for an image or a note reference while the HTML becomes Markdown
# (characters of Unicode's private use area: a Word document has no business holding them).
_IMAGE = "\ue000I{}\ue001"
_NOTE = "\ue000N{}\ue001"
_LINE_BREAK = "\ue000B\ue001"
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MARKERS = re.compile("\ue000([IN])(\\d+)\ue001")
_NOTE_ID = re.compile(r"^#?((?:foot|end)note-\d+)$")
_STYLE_MESSAGE = re.compile(r"^Unrecognised (?:paragraph|run|table) style: (.+?)"
                            r"(?: \(Style ID: .*\))?$")
_FORMATTING = {"s": _l("strikethrough"), "u": _l("underlining"), "img": _l("an image")}


@dataclass
class Image:
    number: int
    filename: str
    content_type: str
    data: bytes
    alt: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def label(self) -> str:
        return self.alt or self.filename


@dataclass
class Conversion:
    """The Markdown of a document, its images (to attach) and what did not come across."""
    markdown: str               # with a marker where each image goes
    images: list[Image] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    notes: int = 0
    figure_label: str = "Figure"

    def body(self, links: dict[int, str] | None = None) -> str:
        """The Markdown, each image as a link to ``links[number]`` (without one: no target)."""
        links = links or {}
        images = {image.number: image for image in self.images}

        def figure(match):
            image = images.get(int(match.group(2)))
            if image is None:
                return ""
            text = f"[{_escape_label(self.figure_label)}: {_escape_label(image.label)}]"
            target = links.get(image.number)
            return f"{text}({target})" if target else text

        return _tidy(_MARKERS.sub(figure, self.markdown))

    @property
    def paragraphs(self) -> int:
        return len(split_blocks(self.body()))


def check_document(filename: str, data: bytes, *, max_bytes: int) -> str:
    """The upload's safe file name, or :class:`RejectedFile` saying why it cannot be imported:
    not a .docx (by its content: a zip holding ``word/document.xml``), empty, too large."""
    name = safe_filename(filename)
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if extension == "odt":
        raise RejectedFile(_l("OpenDocument (.odt) files cannot be imported yet: save the "
                              "document as a Word (.docx) file and import that."))
    if extension != "docx":
        raise RejectedFile(_l("Only Word documents (.docx) can be imported; this file is not "
                              "one."))
    if not data:
        raise RejectedFile(_l("The file is empty."))
    if len(data) > max_bytes:
        raise RejectedFile(_l("The file is %(size)s MB; the limit is %(limit)s MB.",
                              size=round(len(data) / 1048576, 1),
                              limit=round(max_bytes / 1048576, 1)))
    if sniff(data) != "docx":
        raise RejectedFile(_l("The content of this file is not a Word document (.docx), "
                              "whatever its name says; it was refused."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise RejectedFile(_l("This Word document unpacks to more than %(limit)d MB; it "
                                  "was refused.", limit=MAX_UNPACKED_BYTES // 1048576))
    return name


def convert(data: bytes, *, max_image_bytes: int, notes_heading: str = "Notes",
            figure_label: str = "Figure") -> Conversion:
    """The document's Markdown (see the module's notes); :class:`RejectedFile` when mammoth
    cannot read it. ``data`` has passed :func:`check_document`."""
    images: list[Image] = []
    dropped: list[str] = []

    def keep_image(image):
        number = len(images) + len(dropped) + 1
        content_type = (image.content_type or "").lower()
        extension = IMAGE_TYPES.get(content_type)
        if extension is None:
            dropped.append(_l("Image %(n)d is not a PNG or JPEG picture and was left out.",
                              n=number))
            return {"src": "dropped:"}
        with image.open() as stream:
            content = stream.read()
        name = f"figure-{number}.{extension}"
        try:
            check_upload(name, content, max_bytes=max_image_bytes)
        except RejectedFile as refused:
            dropped.append(_l("Image %(n)d was left out: %(reason)s", n=number,
                              reason=refused.message))
            return {"src": "dropped:"}
        images.append(Image(number, name, "image/jpeg" if extension == "jpg" else content_type,
                            content, " ".join((image.alt_text or "").split())))
        return {"src": f"image:{number}"}

    try:
        result = mammoth.convert_to_html(io.BytesIO(data),
                                         convert_image=mammoth.images.img_element(keep_image))
    except Exception as error:   # noqa: BLE001  (a damaged document fails in many ways)
        log.info("Word import: mammoth could not read a document: %r", error)
        raise RejectedFile(_l("This Word document could not be read; it may be damaged. Open "
                              "it in Word or LibreOffice, save it again and import it.")) from None
    messages, styles = [], []
    for message in result.messages:
        style = _STYLE_MESSAGE.match(message.message)
        if style:   # mammoth read it as a plain paragraph (or run, or table): nothing is lost
            if style.group(1) not in styles:
                styles.append(style.group(1))
        elif message.message not in messages:
            messages.append(message.message)
    soup = BeautifulSoup(result.value, "html.parser")
    notes = _take_notes(soup)
    internal = _rewrite(soup)
    removed = _not_allowed(soup)
    markdown = _markdown(str(soup))
    if notes:
        markdown += f"\n\n## {notes_heading}\n\n" + "\n\n".join(
            f"[^{n}] {text}" for n, text in enumerate(notes, start=1))
    dropped += [_l("Formatting not kept: %(what)s (places: %(count)d).", what=what, count=count)
                for what, count in removed.items()]
    if internal:
        dropped.append(_l("Links to places within the document (such as a table of contents) "
                          "became plain text: %(count)d.", count=internal))
    if styles:
        dropped.append(_l("Word styles without an equivalent here, read as plain text: "
                          "%(styles)s.", styles=", ".join(styles)))
    dropped += [_l("From the converter: %(message)s", message=message) for message in messages]
    return Conversion(markdown=_tidy(markdown), images=images, dropped=dropped,
                      notes=len(notes), figure_label=figure_label)


def _take_notes(soup) -> list[str]:
    """Replace each note reference by a marker, numbered in the order of the text; remove the
    notes' list (mammoth puts it at the end) and return the notes' Markdown in that order."""
    bodies = {}
    for item in soup.find_all("li", id=_NOTE_ID):
        for back in item.find_all("a", href=re.compile(r"^#(?:foot|end)note-ref-")):
            back.decompose()
        bodies[item["id"]] = item
    order: list[str] = []
    for anchor in soup.find_all("a", href=_NOTE_ID):
        note_id = _NOTE_ID.match(anchor["href"]).group(1)
        if note_id not in bodies:
            continue
        if note_id not in order:
            order.append(note_id)
        target = anchor.parent if anchor.parent.name == "sup" and len(
            anchor.parent.contents) == 1 else anchor
        target.replace_with(NavigableString(_NOTE.format(order.index(note_id) + 1)))
    notes = []
    for note_id in order:
        item = bodies[note_id]
        notes.append(" ".join(_markdown(item.decode_contents()).split()))
    lists = {item.parent for item in bodies.values() if item.parent is not None}
    for item in bodies.values():
        item.decompose()
    for ol in lists:
        if not ol.find("li"):
            ol.decompose()
    return notes


def _rewrite(soup) -> int:
    """Images as markers; links the body may not hold as their text. Returns the number of
    links to places within the document."""
    for img in soup.find_all("img"):
        source = img.get("src", "")
        if source.startswith("image:"):
            img.replace_with(NavigableString(_IMAGE.format(source.split(":", 1)[1])))
        else:
            img.decompose()   # refused; listed already
    internal = 0
    for anchor in soup.find_all("a"):
        href = (anchor.get("href") or "").strip()
        if href.lower().startswith(URL_SCHEMES):
            anchor.attrs = {"href": href}
            continue
        if href:
            internal += 1
        anchor.unwrap()   # a bookmark, a link within the document or to a file: its text
    return internal


def _not_allowed(soup) -> dict:
    """What the sanitiser will remove, by kind (the text inside is kept)."""
    removed: dict = {}
    for tag in soup.find_all(True):
        if tag.name not in ALLOWED_TAGS:
            what = str(_FORMATTING.get(tag.name, _l("other formatting")))
            removed[what] = removed.get(what, 0) + 1
    return removed


def _markdown(html: str) -> str:
    """Sanitised, then Markdown; a line break within a paragraph stays one (``<br>``, which the
    renderer allows: Markdown's own, two spaces at the end of a line, would not survive)."""
    html = _BREAK.sub(_LINE_BREAK, html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"})
    text = markdownify(clean, heading_style="ATX", bullets="-", table_infer_header=True,
                       strong_em_symbol="*")
    text = re.sub(r"[ \t]*" + _LINE_BREAK + r"[ \t]*\n?", "<br>\n", text)
    return _MARKERS.sub(lambda m: f"[^{m.group(2)}]" if m.group(1) == "N" else m.group(0), text)


def _escape_label(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", text)


def _tidy(markdown: str) -> str:
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
