"""A report made by hand (as mab.report.assembly would make it) for the DOCX tests: Kazakh text,
a finding with a list, a table, a link, a heading and citations, a placeholder, recommendations
in two categories, references, gaps and an annex."""
from mab.report import rules
from mab.report.model import (
    ANNEX, CATEGORY, GAPS, INDICATOR, RECOMMENDATIONS, REFERENCES, THEME, Gap, Paragraph,
    Provenance, Recommendation, Reference, Report, Section,
)

KAZAKH_LETTERS = "ә ғ қ ң ө ұ ү һ і"
FINDING = [
    "Ақпаратқа қол жеткізу құқығы Конституцияда бекітілген [@src-7], ал заң оны нақтылайды "
    "[@src-3]. Барлық әріптер: " + KAZAKH_LETTERS + ". **Маңызды** және *курсив*, "
    "[сілтеме](https://adilet.zan.kz/kaz).",
    "### Негізгі тұжырымдар\n\n- бірінші тармақ\n- екінші тармақ",
    "1. бір\n2. екі\n3. үш",
    "| Көрсеткіш | Мәні |\n|---|---|\n| Қамту | 88% |\n| Әйелдер | 47% |",
]


def report(*, placeholder=True, indicators=1, language="kk") -> Report:
    sections = [Section(CATEGORY, "Құқықтар", level=1, code="R"),
                Section(THEME, "Ақпарат еркіндігі", level=2, code="R.5")]
    for n in range(indicators):
        sections.append(Section(
            INDICATOR, f"Ақпаратқа қол жеткізу {n + 1}", level=3, code=f"R.5.{n + 1}",
            paragraphs=[Paragraph(f"b{n}-{k}", text) for k, text in enumerate(FINDING)],
            provenance=Provenance(draft_id=10 + n, version=3, validated_on="2022-03-12",
                                  passed=True, sha256="ab12" * 16, round_id=5)))
    if placeholder:
        sections.append(Section(INDICATOR, "Әзірге жоқ индикатор", level=3, code="R.7.1",
                                placeholder=True))
    sections += [
        Section(RECOMMENDATIONS, "Ұсынымдар", level=1, recommendations=[
            Recommendation(1, "r1", "Статистиканы жыл сайын жариялау [@src-3].",
                           groups=["Үкімет"], categories=["Құқықтар"], priority="high",
                           time_frame="short", responsible="Цифрлық даму министрлігі",
                           status="in_progress"),
            Recommendation(1, "r2", "Ауылдарға кеңжолақты интернет.", groups=["Жеке сектор"],
                           categories=["Қолжетімділік"], priority="medium",
                           time_frame="long")]),
        Section(REFERENCES, "Әдебиеттер", level=1, references=[
            Reference(1, 7, "Қазақстан Республикасының Конституциясы", "Әділет", 1995,
                      "https://adilet.zan.kz/kaz/docs/K950001000_", "legal_text"),
            Reference(2, 3, "Ақпаратқа қол жеткізу туралы заң", year=2015)]),
        Section(GAPS, "Деректер олқылықтары", level=1,
                gaps=[Gap("R.7.1", "Әзірге жоқ индикатор", "no_data")]),
        Section(ANNEX, "Қосымша", level=1, annex={
            "on": "2022-05-01",
            "board": rules.public_table([("Үкімет", {"woman": 1, "man": 3}, 4),
                                         ("Академиялық қауымдастық", {"woman": 3, "man": 3}, 6)],
                                        ("woman", "man", "another", "undisclosed")),
            "meetings": [{"title": "Валидациялық семинар", "kind": "workshop",
                          "date": "2022-03-01", "invited": 10, "present": 8}],
            "consultations": [{"title": "Ақпарат туралы тұжырымдар", "circulations": 1,
                               "comments": 5, "replies": 2}],
            "validation": [{"round_id": 5, "title": "Ақпарат туралы тұжырымдар", "version": 3,
                            "opened": "2022-03-01", "closed": "2022-03-12", "passed": True,
                            "decisions": {"endorse": 7}}]}),
    ]
    built = Report("kz-2022", "Қазақстан: интернет-әмбебаптық бағалауы", language,
                   rules.number_sections(sections))
    built.manifest_sha256 = rules.manifest_hash(built)
    return built
