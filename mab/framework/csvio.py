"""Import of questions and indicators (format of ../shared/roamx/README.md): pure validation."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from mab.csvio import RowError, decode, dict_reader

COLUMNS = ["category", "theme", "question_code", "question", "indicator_code", "indicator", "core"]
# Optional: the question's and the indicator's wording in the interface's languages
# (question_ru, indicator_kk, ...), shown to readers of that language.
TITLE_LANGUAGES = ("en", "ru", "kk")
OPTIONAL_COLUMNS = [f"{column}_{code}" for column in ("question", "indicator")
                    for code in TITLE_LANGUAGES]
YES = {"yes", "y", "true", "1", "да", "иә"}
NO = {"no", "n", "false", "0", "нет", "жоқ", ""}


@dataclass
class IndicatorRow:
    line: int
    theme_code: str
    question_code: str
    question: str
    code: str
    title: str
    core: bool
    question_titles: dict = field(default_factory=dict)   # by language, from question_ru ...
    titles: dict = field(default_factory=dict)            # by language, from indicator_ru ...


def _titles(values: dict, column: str) -> dict:
    return {code: values[f"{column}_{code}"] for code in TITLE_LANGUAGES
            if values.get(f"{column}_{code}")}


def parse_indicators(data: bytes, *, themes: dict[str, str]) -> tuple[list[IndicatorRow],
                                                                     list[RowError]]:
    """``themes`` maps a theme code to its category code."""
    try:
        text = decode(data)
    except UnicodeDecodeError:
        return [], [RowError(None, str(_l("The file is not UTF-8 text.")))]
    reader = dict_reader(text)
    header = reader.fieldnames
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [RowError(1, str(_l("Missing column(s): %(columns)s.",
                                       columns=", ".join(missing))))]
    rows, errors, seen, questions = [], [], {}, {}
    for record in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in record.items() if k}
        if not any(values.values()):
            continue
        problems = []
        for column in ("category", "theme", "question_code", "question", "indicator_code",
                       "indicator"):
            if not values[column]:
                problems.append(_l("“%(column)s” is empty.", column=column))
        theme = values["theme"]
        if theme and theme not in themes:
            problems.append(_l("Unknown theme “%(value)s”.", value=theme))
        elif theme and values["category"] and themes[theme] != values["category"]:
            problems.append(_l("Theme %(theme)s is not in category %(category)s.", theme=theme,
                               category=values["category"]))
        core = values["core"].lower()
        if core not in YES | NO:
            problems.append(_l("“core” must be yes or no, not “%(value)s”.", value=values["core"]))
        code = values["indicator_code"]
        if code in seen:
            problems.append(_l("Indicator %(code)s appears twice (also on line %(line)d).",
                               code=code, line=seen[code]))
        seen.setdefault(code, line)
        question_code = values["question_code"]
        if question_code and theme and questions.get(question_code, (theme,))[0] != theme:
            first_theme, first_line = questions[question_code]
            problems.append(_l("Question %(code)s is under theme %(theme)s on line %(line)d.",
                               code=question_code, theme=first_theme, line=first_line))
        if question_code and theme:
            questions.setdefault(question_code, (theme, line))
        if problems:
            errors.extend(RowError(line, str(p)) for p in problems)
            continue
        rows.append(IndicatorRow(line, theme, values["question_code"], values["question"], code,
                                 values["indicator"], core in YES,
                                 _titles(values, "question"), _titles(values, "indicator")))
    if not rows and not errors:
        errors.append(RowError(None, str(_l("The file has no rows to import."))))
    return rows, errors
