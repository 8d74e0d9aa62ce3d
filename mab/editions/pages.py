"""What the editions pages show: the drafts to translate, a version's editions, the side-by-side
editor's rows. A fixed number of queries whatever the number of drafts."""
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from mab.drafts.diff import Segment, word_diff
from mab.drafts.models import Draft, DraftVersion
from mab.editions import queries, rules
from mab.extensions import db
from mab.markdown import render_paragraph


@dataclass(frozen=True)
class DraftRow:
    """A draft's latest version and one summary per language it is translated into."""
    draft: Draft
    version: DraftVersion
    summaries: list[rules.Summary]

    @property
    def complete(self) -> bool:
        return all(s.complete for s in self.summaries)


def drafts_to_translate(assessment) -> list[DraftRow]:
    """Every draft's latest version with its translations' summaries, incomplete ones first: one
    query for the versions, two for the summaries (queries.summaries_of_versions)."""
    if len(assessment.language_list) < 2:
        return []
    newest = (select(DraftVersion.draft_id, func.max(DraftVersion.number).label("number"))
              .join(Draft, Draft.id == DraftVersion.draft_id)
              .where(Draft.assessment_id == assessment.id)
              .group_by(DraftVersion.draft_id).subquery())
    pairs = db.session.execute(
        select(Draft, DraftVersion).join(DraftVersion, DraftVersion.draft_id == Draft.id)
        .join(newest, (newest.c.draft_id == DraftVersion.draft_id)
              & (newest.c.number == DraftVersion.number))
        .options(defer(DraftVersion.body), defer(DraftVersion.blocks))
        .order_by(Draft.title, Draft.id)).all()
    summaries = queries.summaries_of_versions(assessment, {v.id: d for d, v in pairs})
    rows = [DraftRow(draft, version, summaries[version.id][1:]) for draft, version in pairs]
    return sorted(rows, key=lambda row: row.complete)   # stable: by title within each


@dataclass(frozen=True)
class Row:
    """One paragraph of the editor: the source (rendered), the translation, its status and, when
    outdated, what changed in the source since it was translated."""
    number: int
    block_id: str
    source_html: Markup
    text: str
    status: str
    changes: tuple[Segment, ...] = ()


def editor_rows(version, edition) -> list[Row]:
    blocks = version.blocks or []
    translated = {b["id"]: b for b in (edition.blocks if edition is not None else [])}
    statuses = rules.statuses(blocks, list(translated.values()))
    rows = []
    for number, block in enumerate(blocks, start=1):
        mine = translated.get(block["id"])
        status = statuses[block["id"]]
        changes = ()
        if status == rules.OUTDATED:
            changes = word_diff(mine.get("basis", ""), block["text"])
        rows.append(Row(number, block["id"], render_paragraph(block["text"]),
                        mine["text"] if mine else "", status, changes))
    return rows
