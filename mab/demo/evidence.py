"""The demo's evidence (issue 19 item 6): sources for its indicators and each indicator's data
status, with "no data" cases."""
from mab.assessments.models import Assessment, Membership
from mab.extensions import db
from mab.types import utcnow

# Sources of the findings, numbered as they are cited ([@src-<number>]):
# (title, publisher, year of the data, link, kind, means of verification, gender-disaggregated,
# other dimensions, the indicators it serves).
SOURCES = [
    ("Use of information and communication technologies by households and individuals, 2021",
     "Bureau of National Statistics of the Agency for Strategic Planning and Reforms",
     2021, "https://stat.gov.kz/", "official_statistics",
     "Annual household survey; tables downloaded from the Bureau's website and checked against "
     "the 2020 edition.", True, "age, region, urban/rural", ["A.B.1.1", "A.D.1.1"]),
    ("Law of the Republic of Kazakhstan “On Informatization” (No. 418-V, as amended)",
     "Institute of Legislation and Legal Information (Adilet legal database)",
     2021, "https://adilet.zan.kz/eng/docs/Z1500000418", "legal_text",
     "Consolidated text with amendments to the end of 2021, read in the official database.",
     False, "", ["R.A.1.1", "A.A.1.1"]),
    ("Law of the Republic of Kazakhstan “On Communications” (No. 567-II, as amended)",
     "Institute of Legislation and Legal Information (Adilet legal database)",
     2020, "https://adilet.zan.kz/eng/docs/Z040000567_", "legal_text",
     "Article 41-1 on suspending networks and means of communication; consolidated text.",
     False, "", ["A.A.1.1"]),
    ("World Telecommunication/ICT Indicators Database: Kazakhstan",
     "International Telecommunication Union (ITU)",
     2021, "https://www.itu.int/en/ITU-D/Statistics/Pages/stat/default.aspx",
     "international_index",
     "Figures reported by the national regulator to the ITU; compared with the Bureau's survey.",
     True, "age", ["A.B.1.1", "A.C.1.1"]),
    ("Freedom on the Net 2021: Kazakhstan", "Freedom House",
     2021, "https://freedomhouse.org/country/kazakhstan/freedom-net/2021", "international_index",
     "Country report and scores; the events it cites checked against press reports.",
     False, "", ["R.B.1.1", "A.A.1.1"]),
    ("Interview with the Department of Digitalisation Policy",
     "Ministry of Digital Development, Innovation and Aerospace Industry",
     2021, "", "expert_interview",
     "Notes of a one-hour interview kept by the research team; the interviewee agreed to be "
     "cited by position.", False, "", ["R.A.1.1", "M.B.1.1"]),
    ("Reports of the Kazakhstan Internet Governance Forum, 2019–2021", "Kazakhstan IGF",
     2019, "https://www.intgovforum.org/", "other",
     "Programmes and participant lists of the three meetings.", True, "stakeholder group",
     ["M.B.1.1"]),
    ("Survey of journalists on safety and self-censorship online", "Union of Journalists of "
     "Kazakhstan", 2021, "", "survey",
     "Questionnaire and anonymised answers of 312 journalists, shared with the research team.",
     True, "age, region, type of media", ["R.B.1.1"]),
    ("Affordability Report 2021", "Alliance for Affordable Internet (A4AI)",
     2020, "https://a4ai.org/affordability-report/", "international_index",
     "The price of 1 GB of mobile data as a share of monthly income, from the report's tables.",
     False, "", ["A.C.1.1"]),
    ("Women and men of Kazakhstan, 2017–2021",
     "Bureau of National Statistics of the Agency for Strategic Planning and Reforms",
     2021, "https://stat.gov.kz/", "official_statistics",
     "Statistical collection; the chapter on the information society.", True, "age, region",
     ["X.A.1.1", "A.D.1.1"]),
]

# Each indicator's data status and the researcher's note on its quality (core indicators, in
# the demo's scope: the coverage dashboard shows them).
EVIDENCE = {
    "A.B.1.1": ("available", "Two independent sources agree within two percentage points; the "
                "household survey is disaggregated by sex, age and region."),
    "R.A.1.1": ("available", "The consolidated laws are authoritative; the ministry's interview "
                "explains how they are applied."),
    "M.B.1.1": ("available", ""),
    "X.A.1.1": ("available", "Official gender statistics, published every year."),
    "A.D.1.1": ("partial", "Urban and rural households are compared, but there are no figures "
                "on persons with disabilities."),
    "A.A.1.1": ("partial", "Shutdowns are documented only by an international index: no "
                "official figures are published."),
    "R.B.1.1": ("partial", "One survey of journalists; no official statistics on content "
                "removal requests."),
    "A.C.1.1": ("partial", "International estimates only, one year behind."),
    "R.E.1.1": ("no_data", "The authorised body for personal data protection publishes no "
                "figures on complaints or sanctions."),
    "X.B.1.1": ("no_data", "No survey of children's Internet use since 2017; the next one is "
                "planned for 2023."),
    "O.E.1.1": ("no_data", "The open data portal publishes no statistics on the use of its "
                "data sets; requested from the operator, no answer yet."),
    "M.A.1.1": ("not_applicable", "The indicator concerns the laws of federal subjects; "
                "Kazakhstan is a unitary state."),
}


def seed(assessment: Assessment, researcher: Membership, indicators: dict) -> None:
    """Ten sources serving eight indicators (one serving two or more), and each indicator's
    data status: available, partial, no data (with the reason) and one not applicable."""
    from datetime import timedelta

    from mab.evidence.models import DataStatus, IndicatorEvidence, Source, SourceKind

    now = utcnow()
    for number, (title, publisher, year, url, kind, verification, gender, dimensions,
                 codes) in enumerate(SOURCES, start=1):
        when = now - timedelta(days=60 - 3 * number)
        db.session.add(Source(
            assessment_id=assessment.id, number=number, title=title, publisher=publisher,
            data_year=year, url=url, kind=SourceKind(kind), verification=verification,
            gender_disaggregated=gender, other_dimensions=dimensions,
            indicators=[indicators[code] for code in codes], created_by_id=researcher.user_id,
            created_at=when, updated_at=when))
    for n, (code, (status, note)) in enumerate(EVIDENCE.items()):
        db.session.add(IndicatorEvidence(
            assessment_id=assessment.id, item_id=indicators[code].id,
            data_status=DataStatus(status), quality_note=note, updated_by_id=researcher.user_id,
            updated_at=now - timedelta(days=30 - n)))
    db.session.flush()
