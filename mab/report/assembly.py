"""The assessment's report assembled from the database (issue 20 item 2): what every view of it
renders (the page, the print view, the DOCX, the public site) and what a release freezes.

Order: a whole-report draft first (an introduction chapter per validated whole-report draft),
then the framework's categories, each with the text of its validated chapter draft, its themes
(with their validated theme drafts) and their indicators; then the recommendations (by category,
within it by addressee), the references (numbered by first citation in reading order), the data
gaps and the annex. A finding is the newest validated version of an indicator draft (its round
passed), in ``language`` paragraph by paragraph where the round signed an edition in that
language and its translation of the paragraph is current, else in the source language.

``team`` (the research team's view): an in-scope indicator without a validated finding is a
placeholder section (and so are the recommendations before any is validated), and every category
and theme in scope is shown. Without ``team``: validated content only, and no empty heading.

A fixed number of queries whatever the number of indicators, drafts and recommendations."""
from collections import defaultdict

from flask_babel import force_locale
from flask_babel import gettext as _

from mab.assessments.models import Assessment
from mab.board import queries as board_queries
from mab.board import rules as board_rules
from mab.editions.reading import paragraph as edition_paragraph
from mab.editions.rules import CURRENT
from mab.evidence import citations, coverage
from mab.evidence import coverage_queries
from mab.framework.models import ItemKind
from mab.i18n import display_name, localized
from mab.recommendations import queries as recommendation_queries
from mab.report import queries, rules
from mab.report.model import (ANNEX, CATEGORY, CHAPTER, GAPS, INDICATOR, RECOMMENDATIONS,
                              REFERENCES, THEME, Gap, Paragraph, Provenance, Recommendation,
                              Reference, Report, Section)
from mab.reports.annex import consultations_section


def build(assessment: Assessment, language: str, *, team: bool) -> Report:
    """The report of ``assessment`` in ``language`` (one of its content languages), numbered and
    with its manifest hash; ``team``: with placeholders (see the module's docstring)."""
    with force_locale(language):
        return _build(assessment, language, team)


def _build(assessment: Assessment, language: str, team: bool) -> Report:
    languages = assessment.language_list
    items = queries.framework_items(assessment)
    by_id = {item.id: item for item in items}

    def title(item) -> str:
        return localized(item.titles, item.title, language, languages)

    findings = queries.validated_findings(assessment)
    translated = queries.editions({f.version_id for f in findings
                                   if f.source_language != language}, language)
    text = {f.draft_id: _finding_text(f, language, translated.get(f.version_id))
            for f in findings}
    by_item: dict[int | None, list] = defaultdict(list)
    introductions = []
    for finding in findings:
        if finding.subject == "report":
            introductions.append(finding)
        else:
            by_item[finding.item_id].append(finding)

    sections: list[Section] = []
    for finding in introductions:
        sections.append(_with_text(Section(CHAPTER, finding.title, level=1), *text[finding.draft_id]))

    # The catalogue as a tree: category -> theme -> indicator (through its question).
    children: dict[int | None, list] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    for category in (i for i in items if i.kind == ItemKind.CATEGORY):
        part: list[Section] = []
        head = Section(CATEGORY, title(category), level=1, code=category.code)
        chapters = [f for f in by_item.get(category.id, []) if f.subject == "chapter"]
        if chapters:
            _with_text(head, *text[chapters[0].draft_id])
        for extra in chapters[1:]:
            part.append(_with_text(Section(CHAPTER, extra.title, level=2), *text[extra.draft_id]))
        for theme in (i for i in children[category.id] if i.kind == ItemKind.THEME):
            theme_head = Section(THEME, title(theme), level=2, code=theme.code)
            theme_texts = [f for f in by_item.get(theme.id, []) if f.subject == "theme"]
            if theme_texts:
                _with_text(theme_head, *text[theme_texts[0].draft_id])
            indicators: list[Section] = []
            in_scope = False
            for indicator in _indicators_under(theme, children):
                scoped = indicator.core or not assessment.core_only
                in_scope = in_scope or scoped
                drafts = [f for f in by_item.get(indicator.id, [])
                          if f.subject == "indicator"]
                for n, finding in enumerate(drafts):
                    name = title(indicator) if n == 0 else \
                        f"{title(indicator)}: {finding.title}"
                    indicators.append(_with_text(
                        Section(INDICATOR, name, level=3, code=indicator.code),
                        *text[finding.draft_id]))
                if not drafts and scoped and team:
                    indicators.append(Section(INDICATOR, title(indicator), level=3,
                                              code=indicator.code, placeholder=True))
            if indicators or theme_head.paragraphs or (team and in_scope):
                part.append(theme_head)
                part.extend(indicators)
        if part or head.paragraphs:
            sections.append(head)
            sections.extend(part)

    # A validated finding the tree did not place (its item moved to another framework, a second
    # text on one theme, ...) is never dropped: it closes the findings, under its own title.
    placed = {s.provenance.draft_id for s in sections if s.provenance is not None}
    others = [f for f in findings if f.subject != "report" and f.draft_id not in placed]
    if others:
        sections.append(Section(CHAPTER, _("Other validated findings"), level=1))
        for finding in others:
            item = by_id.get(finding.item_id)
            sections.append(_with_text(
                Section(INDICATOR if finding.subject == "indicator" else CHAPTER,
                        finding.title, level=2, code=item.code if item else ""),
                *text[finding.draft_id]))

    sections.extend(_recommendations(assessment, language, team, by_id))
    references = _references(assessment, sections)
    if references:
        sections.append(Section(REFERENCES, _("References"), level=1, references=references))
    gaps = _gaps(assessment, items, by_id, language)
    if gaps:
        sections.append(Section(GAPS, _("Data gaps"), level=1, gaps=gaps))
    sections.append(Section(ANNEX, _("Annex: the board and the validation"), level=1,
                            annex=_annex(assessment)))
    report = Report(assessment=assessment.slug, title=assessment.title, language=language,
                    sections=rules.number_sections(sections))
    report.manifest_sha256 = rules.manifest_hash(report)
    return report


def _finding_text(finding: queries.Finding, language: str,
                  edition: dict | None) -> tuple[list[Paragraph], Provenance]:
    """A finding's paragraphs in ``language`` and its provenance: the edition the round signed
    in that language (each paragraph's translation where current, else the source's), else the
    source with the version's hash."""
    signed = next((e for e in finding.manifest or [] if e.get("language") == language
                   and not e.get("source")), None)
    use_edition = language != finding.source_language and signed is not None \
        and edition is not None
    if use_edition:
        blocks = {b["id"]: b for b in edition["blocks"]}
        paragraphs = []
        for block in finding.blocks:
            shown, status = edition_paragraph(block, blocks.get(block["id"]))
            paragraphs.append(Paragraph(block["id"], shown) if status == CURRENT else
                              Paragraph(block["id"], block["text"], finding.source_language))
        sha256 = signed.get("sha256") or edition.get("sha256") or finding.sha256
    else:
        source = "" if finding.source_language == language else finding.source_language
        paragraphs = [Paragraph(b["id"], b["text"], source) for b in finding.blocks]
        sha256 = finding.sha256
    provenance = Provenance(
        draft_id=finding.draft_id, version=finding.number,
        validated_on=finding.closed_on.isoformat() if finding.closed_on else "",
        passed=True, sha256=sha256, round_id=finding.round_id)
    return paragraphs, provenance


def _indicators_under(theme, children) -> list:
    """A theme's indicators in the catalogue's order: those of its questions, and any placed
    directly under the theme (an imported framework may have no questions)."""
    found = []
    for child in children[theme.id]:
        if child.kind == ItemKind.INDICATOR:
            found.append(child)
        elif child.kind == ItemKind.QUESTION:
            found.extend(i for i in children[child.id] if i.kind == ItemKind.INDICATOR)
    return found


def _with_text(section: Section, paragraphs: list[Paragraph],
               provenance: Provenance) -> Section:
    section.paragraphs = paragraphs
    section.provenance = provenance
    return section


def _category_of(item, by_id):
    """The category above a framework item (itself if it is one), or None."""
    seen = 0
    while item is not None and seen < 6:
        if item.kind == ItemKind.CATEGORY:
            return item
        item = by_id.get(item.parent_id)
        seen += 1
    return None


def _recommendations(assessment, language, team, by_id) -> list[Section]:
    """The validated recommendations: a chapter, then one section per category (in the
    framework's order; a recommendation under the category of its first indicator, those with
    none under "Other recommendations"), within it by addressee (the first group's position)."""
    versions = recommendation_queries.validated_versions(assessment)
    items = recommendation_queries.items(versions)
    if not items:
        return [Section(RECOMMENDATIONS, _("Recommendations"), level=1, placeholder=True)] \
            if team else []
    items = recommendation_queries.in_language(items, assessment, language, team=False)
    statuses = queries.follow_up_statuses(assessment)
    languages = assessment.language_list
    order = {item_id: n for n, item_id in enumerate(by_id)}
    grouped: dict[int | None, list] = defaultdict(list)
    for n, item in enumerate(items):
        details = item.details
        indicators = list(details.indicators) if details is not None else []
        categories = []
        for indicator in indicators:
            category = _category_of(by_id.get(indicator.id), by_id)
            if category is not None and category not in categories:
                categories.append(category)
        groups = list(details.groups) if details is not None else []
        recommendation = Recommendation(
            draft_id=item.draft.id, block_id=item.block_id, text=item.text,
            groups=[display_name(g, assessment) for g in groups],
            categories=[localized(c.titles, c.title, language, languages) for c in categories],
            priority=str(details.priority) if details is not None else "",
            time_frame=str(details.time_frame) if details is not None else "",
            responsible=details.responsible if details is not None else "",
            status=statuses.get(item.key, ""))
        first_group = min((g.position for g in groups), default=10**9)
        key = categories[0].id if categories else None
        grouped[key].append(((first_group, n), recommendation))
    sections = [Section(RECOMMENDATIONS, _("Recommendations"), level=1)]
    for key in sorted(grouped, key=lambda k: (k is None, order.get(k, 0))):
        category = by_id.get(key)
        name = localized(category.titles, category.title, language, languages) \
            if category is not None else _("Other recommendations")
        sections.append(Section(RECOMMENDATIONS, name, level=2,
                                code=category.code if category is not None else "",
                                recommendations=[r for _k, r in sorted(grouped[key],
                                                                       key=lambda p: p[0])]))
    return sections


def _references(assessment, sections: list[Section]) -> list[Reference]:
    """The sources cited in the report, numbered by first citation in reading order (the
    paragraphs, then the recommendations): one query, none when nothing is cited."""
    texts = [p.text for s in sections for p in s.paragraphs] + \
        [r.text for s in sections for r in s.recommendations]
    found = citations.of_texts(assessment, texts)
    return [Reference(number=ref.number, source_number=ref.source.number, title=ref.source.title,
                      publisher=ref.source.publisher or "", year=ref.source.data_year,
                      url=ref.source.url or "", kind=str(ref.source.kind))
            for ref in found.references]


def _gaps(assessment, items, by_id, language) -> list[Gap]:
    """The data gaps of the indicators in scope (mab.evidence.coverage's rules), one entry per
    reason, in catalogue order: two queries."""
    statuses = coverage_queries.data_statuses(assessment)
    counts = coverage_queries.source_counts(assessment)
    languages = assessment.language_list
    out = []
    for item in items:
        if item.kind != ItemKind.INDICATOR or (assessment.core_only and not item.core):
            continue
        question = by_id.get(item.parent_id)
        theme = by_id.get(question.parent_id) if question is not None else None
        if theme is None or _category_of(theme, by_id) is None:
            continue
        row = coverage.Row(id=item.id, code=item.code, title=item.title, category_code="",
                           category_title="", theme_code="", theme_title="",
                           data_status=statuses.get(item.id),
                           sources=counts.get(item.id, (0, 0))[0])
        for reason in coverage.gap_reasons(row):
            out.append(Gap(item.code, localized(item.titles, item.title, language, languages),
                           reason))
    return out


def _annex(assessment) -> dict:
    """The annex's public figures: the board by group and gender today (small cells suppressed),
    the meetings held, the consultations and the validation rounds. No one is named."""
    today = assessment.today()
    seats = [s for s in board_queries.seats_by_membership(assessment).values()
             if board_rules.serving_on(s, today)]
    table = board_rules.group_gender_table(seats, board_queries.rule_groups(assessment))
    consultations = [{"title": c.title, "circulations": len(c.circulated),
                      "comments": c.comments, "replies": c.replies}
                     for c in consultations_section(assessment)]
    return {"on": today.isoformat(), "board": rules.public_table(table.rows, table.genders),
            "meetings": queries.held_meetings(assessment), "consultations": consultations,
            "validation": queries.closed_rounds(assessment)}
