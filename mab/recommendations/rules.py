"""Pure rules of the recommendations register: a recommendation's ROAM-X category, the
register grouped by category or by addressee, the filters, and the digest of a version's
details that its content hash covers. No app, no database: plain values and duck-typed rows
(``details`` has ``groups``, ``indicators``, ``findings``, ``priority``, ``time_frame``,
``responsible``; a framework item has ``kind`` and ``parent``)."""
import hashlib
import json
from dataclasses import dataclass

CATEGORY = "category"


def category_of(item):
    """The category a framework item belongs to (the item itself when it is one), walking up
    its parents; None when the chain has none."""
    seen = set()
    while item is not None and id(item) not in seen:
        seen.add(id(item))
        if str(item.kind) == CATEGORY:
            return item
        item = item.parent
    return None


def categories_of(details) -> list:
    """The distinct categories of the indicators a recommendation rests on, in the order of
    their position; [] without details or indicators."""
    if details is None:
        return []
    found = {}
    for indicator in details.indicators:
        category = category_of(indicator)
        if category is not None:
            found.setdefault(category.id, category)
    return sorted(found.values(), key=lambda c: (c.position, c.id))


@dataclass
class Group:
    """One heading of the register: ``key`` is a category or a stakeholder group, None for
    the recommendations not yet linked to one."""
    key: object
    items: list


def group_by_category(items) -> list[Group]:
    """The items under each ROAM-X category their indicators belong to (an item resting on
    indicators of two categories appears under both), categories in their order; the items
    with no details or no indicator last, under None."""
    groups: dict[int, Group] = {}
    loose = []
    for item in items:
        categories = categories_of(item.details)
        if not categories:
            loose.append(item)
        for category in categories:
            groups.setdefault(category.id, Group(category, [])).items.append(item)
    ordered = sorted(groups.values(), key=lambda g: (g.key.position, g.key.id))
    return ordered + ([Group(None, loose)] if loose else [])


def group_by_addressee(items, groups) -> list[Group]:
    """The items under each stakeholder group they are addressed to, in the order of
    ``groups`` (the assessment's; an item addressed to two groups appears under both, a group
    with none is left out); the items with no details or no addressee last, under None."""
    by_id = {group.id: Group(group, []) for group in groups}
    loose = []
    for item in items:
        addressees = [g.id for g in item.details.groups] if item.details is not None else []
        placed = False
        for group_id in addressees:
            if group_id in by_id:
                by_id[group_id].items.append(item)
                placed = True
        if not placed:
            loose.append(item)
    ordered = [g for g in by_id.values() if g.items]
    return ordered + ([Group(None, loose)] if loose else [])


@dataclass(frozen=True)
class Filters:
    """What the register is narrowed to (None: anything)."""
    group: int | None = None
    category: int | None = None
    priority: str | None = None
    time_frame: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.group, self.category, self.priority,
                                           self.time_frame))


def matches(item, filters: Filters) -> bool:
    """Whether the item passes every filter given; an item without details passes none."""
    if not filters.active:
        return True
    details = item.details
    if details is None:
        return False
    if filters.group is not None and filters.group not in {g.id for g in details.groups}:
        return False
    if filters.category is not None and filters.category not in {
            c.id for c in categories_of(details)}:
        return False
    if filters.priority is not None and str(details.priority) != filters.priority:
        return False
    if filters.time_frame is not None and str(details.time_frame) != filters.time_frame:
        return False
    return True


def details_json(details_by_block: dict) -> str:
    """Canonical JSON of a version's details, block by block: the sorted ids of the addressee
    groups, indicators and findings, the priority, time frame and responsible actor."""
    payload = {
        block_id: {"groups": sorted(g.id for g in d.groups),
                   "indicators": sorted(i.id for i in d.indicators),
                   "findings": sorted(f.id for f in d.findings),
                   "priority": str(d.priority), "time_frame": str(d.time_frame),
                   "responsible": d.responsible or ""}
        for block_id, d in details_by_block.items()}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def details_digest(details_by_block: dict) -> str:
    """SHA-256 of :func:`details_json`: what a version's content hash adds for its details."""
    return hashlib.sha256(details_json(details_by_block).encode("utf-8")).hexdigest()


def one_paragraph(text: str) -> bool:
    """Whether ``text`` is one paragraph of a draft: something written, no blank line inside
    and no code fence (which would swallow the paragraphs after it)."""
    lines = (text or "").replace("\r\n", "\n").strip().split("\n")
    return (bool(lines[0].strip()) and all(line.strip() for line in lines)
            and not any(line.strip().startswith("```") for line in lines))
