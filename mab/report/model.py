"""The assembled report as plain data: what every view of it renders (the page, the print view,
the DOCX, the public site) and what a release freezes (``to_json``/``from_json``). No app, no
database: ``mab.report.assembly`` fills it from the database, the renderers only read it.

A report is a list of sections in reading order; each section has a level (1 = a chapter such as
a ROAM-X category, 2 = a theme, 3 = an indicator), a number ("2.1.3", given by
``rules.number_sections``), an anchor and its content: Markdown paragraphs of a validated
version (with their stable ids), or a placeholder (no validated finding yet: shown to the research
team only, never released), or a structured part (the recommendations, the references, the data
gaps, the annex) that each renderer lays out."""
from dataclasses import asdict, dataclass, field


# Section kinds.
CATEGORY, THEME, INDICATOR, CHAPTER = "category", "theme", "indicator", "chapter"
RECOMMENDATIONS, REFERENCES, GAPS, ANNEX = "recommendations", "references", "gaps", "annex"


@dataclass(frozen=True)
class Provenance:
    """Where a finding's text comes from: the validated version it is taken from."""
    draft_id: int
    version: int                   # the version's number
    validated_on: str              # ISO date of the round's closing (rendered with the date helper)
    passed: bool
    sha256: str                    # the edition's hash in this language (the source's: the version's)
    round_id: int


@dataclass(frozen=True)
class Paragraph:
    block_id: str
    text: str                      # Markdown (sanitised when rendered); citations as [@src-N]
    language: str = ""             # the language it is written in ("" : the report's)


@dataclass(frozen=True)
class Reference:
    """A source in the reference list, numbered by first citation in the report."""
    number: int                    # the citation number shown, [1], [2], ...
    source_number: int             # the source's own number (its [@src-N])
    title: str
    publisher: str = ""
    year: int | None = None
    url: str = ""
    kind: str = ""                 # SourceKind value (renderers show its label)


@dataclass(frozen=True)
class Recommendation:
    draft_id: int
    block_id: str
    text: str
    groups: list[str] = field(default_factory=list)        # addressee names in this language
    categories: list[str] = field(default_factory=list)    # ROAM-X category titles
    priority: str = ""             # Priority value
    time_frame: str = ""           # TimeFrame value
    responsible: str = ""
    status: str = ""               # follow-up status value ("" before any confirmed update)


@dataclass(frozen=True)
class Gap:
    code: str
    title: str
    reason: str                    # "no_data", "partial", "not_assessed", "no_source"


@dataclass
class Section:
    kind: str
    title: str
    level: int = 1
    code: str = ""                 # the framework code (category, theme, indicator), else ""
    number: str = ""               # "2.1.3"; set by rules.number_sections
    anchor: str = ""               # the id in the page; set by rules.number_sections
    paragraphs: list[Paragraph] = field(default_factory=list)
    provenance: Provenance | None = None
    placeholder: bool = False      # no validated content yet (team only, never released)
    recommendations: list[Recommendation] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    annex: dict | None = None      # the annex's public figures (board by group and gender, ...)


@dataclass
class Report:
    assessment: str                # the assessment's slug
    title: str
    language: str
    sections: list[Section] = field(default_factory=list)
    manifest_sha256: str = ""      # set by rules.manifest_hash once assembled

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Report":
        sections = []
        for s in data.get("sections", []):
            s = dict(s)
            s["paragraphs"] = [Paragraph(**p) for p in s.get("paragraphs", [])]
            s["provenance"] = Provenance(**s["provenance"]) if s.get("provenance") else None
            s["recommendations"] = [Recommendation(**r) for r in s.get("recommendations", [])]
            s["references"] = [Reference(**r) for r in s.get("references", [])]
            s["gaps"] = [Gap(**g) for g in s.get("gaps", [])]
            sections.append(Section(**s))
        return cls(assessment=data["assessment"], title=data["title"], language=data["language"],
                   sections=sections, manifest_sha256=data.get("manifest_sha256", ""))

    def public(self) -> "Report":
        """The report without its placeholders (what a release may hold)."""
        return Report(self.assessment, self.title, self.language,
                      [s for s in self.sections if not s.placeholder], self.manifest_sha256)
