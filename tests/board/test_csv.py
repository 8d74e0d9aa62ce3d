"""CSV import parsing and export writing, over bytes built here."""
import csv
import io
from datetime import date

import pytest

from mab.board.csvio import COLUMNS, MAX_ROWS, parse_board_csv
from mab.csvio import write_csv

pytestmark = pytest.mark.usefixtures("request_context")

GROUPS = {"government": (1, "Government"), "academia": (2, "Academia"),
          "гражданское общество": (3, "Гражданское общество")}
HEADER = "email,name,group,organisation,position,gender,status,term_start,term_end,language"
BOM = b"\xef\xbb\xbf"


def parse(text, existing=(), *, bom=False, crlf=False):
    if crlf:
        text = text.replace("\n", "\r\n")
    data = (BOM if bom else b"") + text.encode("utf-8")
    return parse_board_csv(data, groups=GROUPS, existing_emails=set(existing))


def errors_of(text, existing=()):
    rows, errors = parse(text, existing)
    return [(e.line, e.message) for e in errors]


CLEAN = (
    f"{HEADER}\n"
    "aigerim@gov.kz,Айгерим Серикова,Government,Министерство цифрового развития,Директор,woman,"
    "active,2022-02-01,2027-12-31,ru\n"
    "Bolat@Example.KZ,Болат Қасымов,гражданское ОБЩЕСТВО,Қоғамдық қор,,man,nominee,,,kk\n"
    "olga@example.org,Ольга,academia,,,,,,,\n"
)


class TestClean:
    @pytest.mark.parametrize("bom", [False, True])
    @pytest.mark.parametrize("crlf", [False, True])
    def test_cyrillic_file_with_or_without_bom(self, bom, crlf):
        rows, errors = parse(CLEAN, bom=bom, crlf=crlf)
        assert errors == []
        assert [(r.line, r.email, r.name, r.group_id, r.group_name) for r in rows] == [
            (2, "aigerim@gov.kz", "Айгерим Серикова", 1, "Government"),
            (3, "bolat@example.kz", "Болат Қасымов", 3, "Гражданское общество"),
            (4, "olga@example.org", "Ольга", 2, "Academia"),
        ]
        first, second, third = rows
        assert first.organisation == "Министерство цифрового развития"
        assert first.position == "Директор" and first.gender == "woman"
        assert (first.status, first.term_start, first.term_end, first.language) == (
            "active", date(2022, 2, 1), date(2027, 12, 31), "ru")
        assert (second.gender, second.status, second.language) == ("man", "nominee", "kk")
        assert second.organisation == "Қоғамдық қор" and second.term_start is None
        # Empty optional cells take the defaults.
        assert (third.gender, third.status, third.language, third.organisation) == (
            None, "active", "en", "")

    def test_only_the_required_columns(self):
        rows, errors = parse("Email , NAME,Group\na@example.org,A,Government\n")
        assert errors == [] and [(r.email, r.name, r.group_id) for r in rows] == [
            ("a@example.org", "A", 1)]

    def test_quoted_cells_and_blank_lines(self):
        text = f'{HEADER}\n"a@example.org","Иванов, Иван",Government,"ООО ""Ромашка""",,,,,,\n\n' \
               "b@example.org,B,Academia,,,,,,,\n"
        rows, errors = parse(text)
        assert errors == []
        assert rows[0].name == "Иванов, Иван" and rows[0].organisation == 'ООО "Ромашка"'
        assert rows[1].line == 4    # the blank line 3 still counts

    def test_a_bom_is_not_part_of_the_first_column_name(self):
        # A BOM is not part of the first column's name.
        rows, errors = parse("email,name,group\na@example.org,A,Government\n", bom=True)
        assert errors == [] and len(rows) == 1


class TestBadFiles:
    def test_missing_column(self):
        rows, errors = parse("email,name,organisation\na@example.org,A,X\n")
        assert rows == []
        assert [(e.line, e.message) for e in errors] == [
            (1, "Missing column(s): group. The first line must name the columns.")]

    def test_missing_columns_named_together(self):
        assert errors_of("organisation\nX\n")[0][1].startswith(
            "Missing column(s): email, name, group.")

    def test_unknown_column(self):
        rows, errors = parse("email,name,group,phone\na@example.org,A,Government,123\n")
        assert [(e.line, e.message) for e in errors] == [(1, "Unknown column(s): phone.")]

    def test_bad_email(self):
        assert errors_of(f"{HEADER}\na@example.org,A,Government,,,,,,,\nnot-an-email,B,Government,,,,,,,\n") == [
            (3, "“not-an-email” is not a valid email address.")]

    def test_unknown_group(self):
        assert errors_of("email,name,group\na@example.org,A,Government\nb@example.org,B,Parliament\n") == [
            (3, "Unknown stakeholder group “Parliament”.")]

    def test_unknown_gender_value(self):
        assert errors_of("email,name,group,gender\na@example.org,A,Government,female\n") == [
            (2, "Unknown gender value “female”: use woman, man, another, undisclosed or leave it "
                "empty.")]

    def test_duplicate_email_within_the_file(self):
        text = ("email,name,group\na@example.org,A,Government\nb@example.org,B,Government\n"
                "A@Example.org,A again,Academia\n")
        assert errors_of(text) == [
            (4, "a@example.org appears twice in the file (also on line 2).")]

    def test_duplicate_email_against_the_board(self):
        text = "email,name,group\nb@example.org,B,Government\nOld@example.org,Old,Government\n"
        assert errors_of(text, existing={"old@example.org"}) == [
            (3, "old@example.org is already part of this assessment.")]

    def test_empty_required_cells(self):
        assert errors_of("email,name,group\na@example.org,,\n") == [
            (2, "“name” is empty."), (2, "“group” is empty.")]

    def test_status_language_and_dates(self):
        text = ("email,name,group,status,language,term_start,term_end\n"
                "a@example.org,A,Government,retired,fr,2022-13-01,\n"
                "b@example.org,B,Government,,,2024-01-01,2023-01-01\n")
        assert errors_of(text) == [
            (2, "Unknown status “retired”: use active or nominee."),
            (2, "Unknown language “fr”: use en, ru or kk."),
            (2, "“2022-13-01” is not a date (use YYYY-MM-DD)."),
            (3, "The term cannot end before it starts."),
        ]

    def test_too_long(self):
        assert errors_of(f"email,name,group\na@example.org,{'Я' * 201},Government\n") == [
            (2, "“name” is longer than 200 characters.")]

    def test_every_bad_line_is_reported_and_good_lines_do_not_hide_them(self):
        text = (f"{HEADER}\n"
                "ok@example.org,Хорошо,Government,,,,,,,\n"
                "bad,Плохо,Government,,,,,,,\n"
                "ok2@example.org,Хорошо,Nowhere,,,,,,,\n"
                "ok3@example.org,Хорошо,Academia,,,женщина,,,,\n"
                "ok@example.org,Дубль,Academia,,,,,,,\n")
        rows, errors = parse(text)
        assert [e.line for e in errors] == [3, 4, 5, 6]
        assert "женщина" in errors[2].message
        assert [r.line for r in rows] == [2]     # the caller imports nothing when errors exist

    def test_line_numbers_count_physical_lines(self):
        text = ('email,name,group,organisation\n'
                'a@example.org,A,Government,"two\nlines"\n'
                'b@,B,Government,\n')
        assert errors_of(text) == [(4, "“b@” is not a valid email address.")]

    def test_not_utf8(self):
        rows, errors = parse_board_csv("email,name,group\nа@example.org,Айгерим,Government\n"
                                       .encode("cp1251"), groups=GROUPS, existing_emails=set())
        assert rows == [] and [e.line for e in errors] == [None]
        assert "not UTF-8" in errors[0].message

    @pytest.mark.parametrize("data", [b"", BOM, b"\n\n"])
    def test_empty_file(self, data):
        rows, errors = parse_board_csv(data, groups=GROUPS, existing_emails=set())
        assert rows == [] and [(e.line, e.message) for e in errors] == [
            (None, "The file is empty.")]

    def test_header_only(self):
        rows, errors = parse(HEADER + "\n\n")
        assert rows == [] and [(e.line, e.message) for e in errors] == [
            (None, "The file has no rows to import.")]

    def test_too_many_rows(self):
        text = "email,name,group\n" + "".join(
            f"p{i}@example.org,P,Government\n" for i in range(MAX_ROWS + 5))
        rows, errors = parse(text)
        assert errors and errors[-1].message == f"Too many rows: at most {MAX_ROWS}."


class TestWrite:
    def test_bom_crlf_and_cyrillic(self):
        data = write_csv(["name", "group"], [["Айгерим Серикова", "Гражданское общество"],
                                             ["Болат", "Қоғам"]])
        assert data.startswith(BOM)
        assert data.count(b"\r\n") == 3 and data.replace(b"\r\n", b"").count(b"\n") == 0
        text = data.decode("utf-8-sig")
        assert text == "name,group\r\nАйгерим Серикова,Гражданское общество\r\nБолат,Қоғам\r\n"

    def test_round_trip_through_the_importer(self):
        header = COLUMNS
        rows = [["a@example.org", "Иванов, Иван", "Government", 'ООО "Ромашка"', "", "man",
                 "active", date(2022, 2, 1), None, "ru"]]
        parsed, errors = parse_board_csv(write_csv(header, rows), groups=GROUPS,
                                         existing_emails=set())
        assert errors == []
        assert (parsed[0].name, parsed[0].organisation, parsed[0].term_start) == (
            "Иванов, Иван", 'ООО "Ромашка"', date(2022, 2, 1))

    def test_values_dates_and_none(self):
        data = write_csv(["a", "b", "c"], [[date(2024, 1, 31), None, 7]])
        assert data.decode("utf-8-sig").splitlines()[1] == "2024-01-31,,7"

    @pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+7 701", "-1+2", "@SUM(A1)",
                                       "\tx", "\r=1"])
    def test_formula_cells_are_neutralised(self, value):
        data = write_csv(["name"], [[value]])
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert rows == [["name"], ["'" + value]]

    def test_ordinary_cells_are_left_alone(self):
        data = write_csv(["name"], [["Ольга = Olga"], ["a-b"]])
        assert data.decode("utf-8-sig").splitlines()[1:] == ["Ольга = Olga", "a-b"]
