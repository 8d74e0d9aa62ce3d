"""Parsing an indicator CSV: every problem is reported with its line, nothing passes half-valid."""
import pytest

from mab.framework.csvio import COLUMNS, parse_indicators

pytestmark = pytest.mark.usefixtures("request_context")

THEMES = {"R.B": "R", "R.C": "R", "A.B": "A", "A.C": "A", "X.A": "X"}
HEADER = ",".join(COLUMNS)
BOM = b"\xef\xbb\xbf"

CLEAN = (
    f"{HEADER}\n"
    "R,R.B,R.5,Защищена ли свобода выражения мнений законом?,R.5.1,"
    "Конституционная гарантия свободы выражения,да\n"
    "R,R.B,R.5,Защищена ли свобода выражения мнений законом?,R.5.2,"
    "\"Число журналистов, привлечённых к ответственности\",нет\n"
    "A,A.C,A.6,Интернет қолжетімді ме?,A.6.1,1 ГБ мобильді деректің бағасы,иә\n"
    "A,A.C,A.6,Интернет қолжетімді ме?,A.6.2,Тарифтер,жоқ\n"
    "X,X.A,X.1,Gender gap?,X.1.1,Share of women online,YES\n"
    "X,X.A,X.1,Gender gap?,X.1.2,Women in ICT jobs,\n"
)


def parse(text, *, bom=False, crlf=False, themes=THEMES):
    if crlf:
        text = text.replace("\n", "\r\n")
    return parse_indicators((BOM if bom else b"") + text.encode("utf-8"), themes=themes)


def errors_of(text):
    _rows, errors = parse(text)
    return [(e.line, e.message) for e in errors]


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("crlf", [False, True])
def test_a_clean_cyrillic_file(bom, crlf):
    rows, errors = parse(CLEAN, bom=bom, crlf=crlf)
    assert errors == []
    assert [(r.line, r.theme_code, r.question_code, r.code, r.core) for r in rows] == [
        (2, "R.B", "R.5", "R.5.1", True), (3, "R.B", "R.5", "R.5.2", False),
        (4, "A.C", "A.6", "A.6.1", True), (5, "A.C", "A.6", "A.6.2", False),
        (6, "X.A", "X.1", "X.1.1", True), (7, "X.A", "X.1", "X.1.2", False)]
    assert rows[0].question == "Защищена ли свобода выражения мнений законом?"
    assert rows[1].title == "Число журналистов, привлечённых к ответственности"
    assert rows[2].title == "1 ГБ мобильді деректің бағасы"


def test_header_case_spaces_extra_columns_and_blank_lines_are_tolerated():
    text = (" Category , THEME,question_code,Question,indicator_code,indicator,Core,notes\n"
            "R , R.B ,R.5 , Question? ,R.5.1 ,  Indicator  , Yes ,ignored\n"
            ",,,,,,,\n"
            "\n"
            "R,R.C,R.7,Other?,R.7.1,Other indicator,no,\n")
    rows, errors = parse(text)
    assert errors == []
    assert [(r.line, r.theme_code, r.question_code, r.question, r.code, r.title, r.core)
            for r in rows] == [(2, "R.B", "R.5", "Question?", "R.5.1", "Indicator", True),
                               (5, "R.C", "R.7", "Other?", "R.7.1", "Other indicator", False)]


@pytest.mark.parametrize("column", COLUMNS)
def test_a_missing_column_is_named_and_nothing_is_read(column):
    kept = [c for c in COLUMNS if c != column]
    text = ",".join(kept) + "\n" + ",".join("x" for _ in kept) + "\n"
    rows, errors = parse(text)
    assert rows == []
    assert [(e.line, e.message) for e in errors] == [(1, f"Missing column(s): {column}.")]


def test_several_missing_columns_are_all_named():
    rows, errors = parse("category,theme,indicator_code\nR,R.B,R.5.1\n")
    assert rows == []
    assert [(e.line, e.message) for e in errors] == [
        (1, "Missing column(s): question_code, question, indicator, core.")]


def test_a_file_with_a_semicolon_separator_is_missing_its_columns():
    rows, errors = parse(HEADER.replace(",", ";") + "\nR;R.B;R.5;Q;R.5.1;I;yes\n")
    assert rows == [] and errors[0].line == 1 and "Missing column(s)" in errors[0].message


def test_an_unknown_theme():
    assert errors_of(f"{HEADER}\nR,R.Z,R.9,Q?,R.9.1,Indicator,yes\n") == [
        (2, "Unknown theme “R.Z”.")]


def test_a_theme_in_another_category():
    assert errors_of(f"{HEADER}\nA,R.B,R.5,Q?,R.5.1,Indicator,yes\n") == [
        (2, "Theme R.B is not in category A.")]


@pytest.mark.parametrize("value", ["maybe", "core", "2", "ja", "+"])
def test_a_bad_core_value(value):
    assert errors_of(f"{HEADER}\nR,R.B,R.5,Q?,R.5.1,Indicator,{value}\n") == [
        (2, f"“core” must be yes or no, not “{value}”.")]


@pytest.mark.parametrize("value, core", [("yes", True), ("Y", True), ("true", True),
                                         ("1", True), ("ДА", True), ("иә", True), ("no", False),
                                         ("N", False), ("false", False), ("0", False),
                                         ("нет", False), ("Жоқ", False), ("", False)])
def test_core_values(value, core):
    rows, errors = parse(f"{HEADER}\nR,R.B,R.5,Q?,R.5.1,Indicator,{value}\n")
    assert errors == [] and rows[0].core is core


def test_a_duplicate_indicator_code_names_the_first_line():
    text = (f"{HEADER}\n"
            "R,R.B,R.5,Q?,R.5.1,First,yes\n"
            "R,R.B,R.5,Q?,R.5.2,Second,yes\n"
            "R,R.B,R.5,Q?,R.5.1,Again,no\n"
            "R,R.B,R.5,Q?,R.5.1,And again,no\n")
    assert errors_of(text) == [
        (4, "Indicator R.5.1 appears twice (also on line 2)."),
        (5, "Indicator R.5.1 appears twice (also on line 2).")]


def test_a_question_under_two_themes_is_refused():
    text = (f"{HEADER}\n"
            "R,R.B,R.5,Q?,R.5.1,First,yes\n"
            "R,R.C,R.5,Q?,R.5.2,Second,yes\n")
    assert errors_of(text) == [(3, "Question R.5 is under theme R.B on line 2.")]


@pytest.mark.parametrize("column", ["category", "theme", "question_code", "question",
                                    "indicator_code", "indicator"])
def test_an_empty_required_cell(column):
    values = {"category": "R", "theme": "R.B", "question_code": "R.5", "question": "Q?",
              "indicator_code": "R.5.1", "indicator": "Indicator", "core": "yes"}
    values[column] = "  "
    errors = errors_of(HEADER + "\n" + ",".join(values[c] for c in COLUMNS) + "\n")
    assert (2, f"“{column}” is empty.") in errors


def test_every_bad_line_is_reported_and_no_row_of_a_bad_file_is_returned():
    text = (f"{HEADER}\n"
            "R,R.B,R.5,Q?,R.5.1,Good,yes\n"
            "R,R.Z,R.9,Q?,R.9.1,Unknown theme,maybe\n"
            "R,R.B,R.5,Q?,R.5.3,Good too,no\n"
            "A,R.C,R.7,Q?,R.7.1,Wrong category,no\n")
    rows, errors = parse(text)
    assert [(e.line, e.message) for e in errors] == [
        (3, "Unknown theme “R.Z”."), (3, "“core” must be yes or no, not “maybe”."),
        (5, "Theme R.C is not in category A.")]
    # The good rows are parsed, but the caller imports nothing while errors is not empty.
    assert [r.line for r in rows] == [2, 4]


def test_line_numbers_count_the_lines_of_a_quoted_multi_line_cell():
    text = (f"{HEADER}\n"
            "R,R.B,R.5,\"A question\nover two lines?\",R.5.1,Indicator,yes\n"
            "R,R.B,R.5,\"A question\nover two lines?\",R.5.2,Indicator,maybe\n")
    rows, errors = parse(text)
    assert rows[0].question == "A question\nover two lines?"
    assert [e.line for e in errors] == [5]


def test_a_file_that_is_not_utf8():
    data = (HEADER + "\nR,R.B,R.5,Вопрос,R.5.1,Индикатор,да\n").encode("cp1251")
    rows, errors = parse_indicators(data, themes=THEMES)
    assert rows == [] and [(e.line, e.message) for e in errors] == [
        (None, "The file is not UTF-8 text.")]


@pytest.mark.parametrize("text", [f"{HEADER}\n", f"{HEADER}\n,,,,,,\n\n"])
def test_a_file_without_rows(text):
    rows, errors = parse(text)
    assert rows == [] and [(e.line, e.message) for e in errors] == [
        (None, "The file has no rows to import.")]


def test_an_empty_file():
    rows, errors = parse_indicators(b"", themes=THEMES)
    assert rows == [] and errors[0].line == 1 and "Missing column(s): category" in \
        errors[0].message
