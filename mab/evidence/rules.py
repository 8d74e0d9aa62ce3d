"""Pure rules of the evidence register: source references in a text (``[@src-12]``), how
citations are numbered on a page, and which years of data and links a source may have. Plain
values in and out; no app needed."""
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

# ``[@src-12]``: a positive number without leading zeros; ``[@src-0]``, ``[@src-012]``,
# ``[@src-12a]`` and ``[@src-]`` are not references (they stay as they were written).
REFERENCE = re.compile(r"\[@src-([1-9][0-9]*)\]")

# A year of data before this is a typing mistake rather than a source of an Internet assessment.
FIRST_YEAR = 1900


def reference(number: int) -> str:
    """How a source is cited: ``[@src-<number>]``."""
    return f"[@src-{number}]"


def references(text: str | None) -> list[int]:
    """The source numbers cited in ``text``, in the order of their first appearance, each once."""
    seen: dict[int, None] = {}
    for match in REFERENCE.finditer(text or ""):
        seen.setdefault(int(match.group(1)), None)
    return list(seen)


def unknown(text: str | None, known: set[int] | frozenset[int]) -> list[int]:
    """The numbers cited in ``text`` that are not among ``known`` (in order of appearance)."""
    return [n for n in references(text) if n not in known]


def numbering(texts: Iterable[str | None], known: set[int] | None = None) -> dict[int, int]:
    """Source number -> citation number (1, 2, ...) by first appearance across ``texts`` read
    in order; with ``known``, the numbers of unknown sources are left out (they show "[?]")."""
    numbers: dict[int, int] = {}
    for text in texts:
        for number in references(text):
            if number not in numbers and (known is None or number in known):
                numbers[number] = len(numbers) + 1
    return numbers


def year_problem(year: int | None, this_year: int) -> str | None:
    """Why a year of data is refused: "future" (after ``this_year``), "too_early" (before
    1900); None when it is fine or not given."""
    if year is None:
        return None
    if year > this_year:
        return "future"
    if year < FIRST_YEAR:
        return "too_early"
    return None


def link_problem(url: str | None) -> bool:
    """Whether a source's link is refused: anything but an http(s) address with a host (an
    empty link is no link, and fine)."""
    url = (url or "").strip()
    if not url:
        return False
    if any(ch.isspace() for ch in url):
        return True
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:   # "http://[" and the like
        return True
    return parts.scheme.lower() not in ("http", "https") or not host
