"""Citations of sources in a version's text, and the check that a text cites only sources of the
evidence register.

A finding cites a source as ``[@src-12]`` (the source's number in its assessment). On the page
the reference becomes a numbered citation, numbered by first appearance in the version::

    <sup class="cite"><a href="#ref-12" title="Title, Publisher, 2021">[1]</a></sup>

and a references list follows the text (``templates/evidence/_references.html``). The paragraphs
stay rendered and cached as they are (``mab.markdown.render_paragraph``): their sanitised HTML is
post-processed here, in the runs of text only, never inside code or a link, so nothing the
sanitiser removed can come back. The page's sources are read in one query, and none at all when
the text cites nothing.

This module imports no other feature's services: the drafts' and editions' services call
:func:`check_references` before they write anything (``mab.evidence.services`` re-exports it).
"""
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from mab.errors import DomainError
from mab.evidence import rules
from mab.evidence.models import SOURCE_KIND_LABELS, Source
from mab.extensions import db

# The largest number a source can have (the column is a 32-bit integer): a larger one is
# unknown without asking the database.
MAX_NUMBER = 2**31 - 1

# A tag of the sanitised HTML (attribute values may hold ">"), or the text between two tags.
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Where a reference stays as written: code shows it, and a link cannot hold another link.
_LITERAL = {"code", "pre", "a"}


def known_numbers(assessment, numbers: Iterable[int]) -> set[int]:
    """The numbers among ``numbers`` that are sources of ``assessment`` (one query, none when
    there is nothing to look up)."""
    wanted = {n for n in numbers if 0 < n <= MAX_NUMBER}
    if not wanted:
        return set()
    return set(db.session.scalars(select(Source.number).where(
        Source.assessment_id == assessment.id, Source.number.in_(wanted))))


def check_references(assessment, text: str | None, field: str = "body") -> None:
    """Refuse a text that cites a source the evidence register does not have, naming every
    unknown reference (:class:`DomainError` on ``field``): call it before anything is written."""
    cited = rules.references(text)
    if not cited:
        return
    missing = rules.unknown(text, known_numbers(assessment, cited))
    if missing:
        raise DomainError(
            _l("Unknown source reference %(references)s: add the source to the evidence "
               "register or correct the reference.",
               references=", ".join(rules.reference(n) for n in missing)), field=field)


@dataclass(frozen=True)
class Reference:
    """One entry of a page's references list: the citation number and its source."""
    number: int
    source: Source

    @property
    def kind_label(self):
        return SOURCE_KIND_LABELS.get(self.source.kind, SOURCE_KIND_LABELS["other"])


def describe(source: Source) -> str:
    """A source in one line, as a citation's hover shows it: "Title, Publisher, 2021"."""
    return ", ".join(part for part in (source.title, source.publisher,
                                       str(source.data_year) if source.data_year else "")
                     if part)


@dataclass
class Citations:
    """The citations of one page: source number -> citation number (known sources only), and
    the sources cited, by number."""
    numbers: dict[int, int] = field(default_factory=dict)
    sources: dict[int, Source] = field(default_factory=dict)
    cited: bool = False     # whether the texts hold any reference at all (known or not)

    def __bool__(self) -> bool:
        return self.cited

    @property
    def references(self) -> list[Reference]:
        """The references list, in citation order."""
        return sorted((Reference(citation, self.sources[number])
                       for number, citation in self.numbers.items()),
                      key=lambda r: r.number)

    def html(self, rendered) -> Markup:
        """``rendered`` (sanitised HTML of a paragraph) with each reference in its runs of text
        made a numbered citation; unchanged (and not parsed) when it holds none."""
        text = str(rendered) if rendered is not None else ""
        if "[@src-" not in text:
            return Markup(text)
        parts = _TAG.split(text)       # text, tag, text, tag, ..., text
        literal = 0
        for i, part in enumerate(parts):
            if i % 2:
                tag = _TAG_NAME.match(part)
                if tag and tag.group(2).lower() in _LITERAL and not part.endswith("/>"):
                    literal = max(0, literal + (-1 if tag.group(1) else 1))
            elif not literal and "[@src-" in part:
                parts[i] = rules.REFERENCE.sub(self._citation, part)
        return Markup("".join(parts))

    def _citation(self, match: re.Match) -> str:
        number = int(match.group(1))
        citation = self.numbers.get(number)
        source = self.sources.get(number)
        if citation is None or source is None:
            hidden = _("(unknown source %(reference)s)", reference=rules.reference(number))
            return str(Markup('<sup class="cite cite--unknown">[?]'
                              '<span class="visually-hidden"> {}</span></sup>').format(hidden))
        return str(Markup('<sup class="cite"><a href="#ref-{}" title="{}">[{}]</a></sup>')
                   .format(number, describe(source), citation))



def of_texts(assessment, texts: Iterable[str | None]) -> Citations:
    """The citations of a page showing ``texts`` (in the order they are read): numbered by first
    appearance, their sources read in one query (none when nothing is cited)."""
    texts = [t for t in texts if t]
    cited = {n for t in texts for n in rules.references(t)}
    if not cited:
        return Citations()
    wanted = {n for n in cited if n <= MAX_NUMBER}
    sources = {s.number: s for s in db.session.scalars(select(Source).where(
        Source.assessment_id == assessment.id, Source.number.in_(wanted)))} if wanted else {}
    return Citations(numbers=rules.numbering(texts, set(sources)), sources=sources, cited=True)
