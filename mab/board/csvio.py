"""CSV import and export of the board: pure functions over bytes and plain values (the shared
reading and writing, formula neutralisation included, is mab.csvio)."""
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from mab.board.rules import hidden_row
from mab.csvio import RowError, decode, dict_reader, unneutralise

COLUMNS = ["email", "name", "group", "organisation", "position", "gender", "status",
           "term_start", "term_end", "language", "appointed_on", "notes"]
# Columns of the board export (mab/board/views.export) that an import leaves out, so that the
# export imports as it is: a conflict-of-interest declaration is made anew in each assessment,
# and a stepping-down date belongs to the assessment where it happened. The rows of people who
# stepped down are left out too (an import adds people to the board and invites them).
EXPORT_ONLY = ["stepped_down_on", "coi_declaration"]
STEPPED_DOWN = "stepped_down"
REQUIRED = ("email", "name", "group")
GENDERS = {"woman", "man", "another", "undisclosed"}
STATUSES = {"active", "nominee"}
LANGUAGES = {"en", "ru", "kk"}
MAX_ROWS = 2000


@dataclass
class ImportRow:
    line: int
    email: str
    name: str
    group_id: int
    group_name: str
    organisation: str = ""
    position: str = ""
    gender: str | None = None
    status: str = "active"
    term_start: date | None = None
    term_end: date | None = None
    language: str = "en"
    appointed_on: date | None = None
    notes: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class BoardFile:
    """A checked import file: the rows to add, every error, and what is left out on purpose
    (the export-only columns present, the lines of people who stepped down)."""
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    stepped_down_lines: list[int] = field(default_factory=list)


def _date(value: str):
    return date.fromisoformat(value) if value else None


def parse_board_csv(data: bytes, *, groups: dict[str, tuple[int, str]],
                    existing_emails: set[str]) -> tuple[list[ImportRow], list[RowError]]:
    """The rows and the errors of ``parse_board_file``."""
    checked = parse_board_file(data, groups=groups, existing_emails=existing_emails)
    return checked.rows, checked.errors


def parse_board_file(data: bytes, *, groups: dict[str, tuple[int, str]],
                     existing_emails: set[str]) -> BoardFile:
    """Validate every row; return the rows, every error found (by line number) and what is
    left out on purpose. Cells the export neutralised (``'=cmd()``) are restored exactly.

    ``groups`` maps a lower-cased group name to (id, name); ``existing_emails`` are the lower-cased
    addresses already in the assessment.
    """
    try:
        text = decode(data)
    except UnicodeDecodeError:
        return BoardFile(errors=[RowError(None, str(_l(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")))])
    reader = dict_reader(text)
    header = reader.fieldnames
    if not header:
        return BoardFile(errors=[RowError(None, str(_l("The file is empty.")))])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return BoardFile(errors=[RowError(1, str(_l(
            "Missing column(s): %(columns)s. The first line must name the columns.",
            columns=", ".join(missing))))])
    unknown = [h for h in header if h not in COLUMNS and h not in EXPORT_ONLY]
    result = BoardFile(ignored_columns=[h for h in EXPORT_ONLY if h in header])
    errors = result.errors
    if unknown:
        errors.append(RowError(1, str(_l("Unknown column(s): %(columns)s.",
                                         columns=", ".join(unknown)))))
    rows = result.rows
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if len(rows) + len(errors) + len(result.stepped_down_lines) > MAX_ROWS:
            errors.append(RowError(line, str(_l("Too many rows: at most %(n)d.", n=MAX_ROWS))))
            break
        values = {k: unneutralise((v or "").strip()) for k, v in record.items()
                  if k is not None}
        if not any(values.values()):
            continue
        if values.get("status", "").lower() == STEPPED_DOWN:
            result.stepped_down_lines.append(line)
            continue
        row_errors = []
        for column in REQUIRED:
            if not values.get(column):
                row_errors.append(_l("“%(column)s” is empty.", column=column))
        email = values.get("email", "").lower()
        if email:
            try:
                email = validate_email(email, check_deliverability=False).normalized.lower()
            except EmailNotValidError:
                row_errors.append(_l("“%(value)s” is not a valid email address.", value=email))
            if email in seen:
                row_errors.append(_l("%(email)s appears twice in the file (also on line %(line)d).",
                                     email=email, line=seen[email]))
            elif email in existing_emails:
                row_errors.append(_l("%(email)s is already part of this assessment.", email=email))
            seen.setdefault(email, line)
        group = groups.get(values.get("group", "").lower())
        if values.get("group") and group is None:
            row_errors.append(_l("Unknown stakeholder group “%(value)s”.", value=values["group"]))
        gender = values.get("gender", "").lower() or None
        if gender and gender not in GENDERS:
            row_errors.append(_l("Unknown gender value “%(value)s”: use woman, man, another, "
                                 "undisclosed or leave it empty.", value=values["gender"]))
        status = values.get("status", "").lower() or "active"
        if status not in STATUSES:
            row_errors.append(_l("Unknown status “%(value)s”: use active or nominee.",
                                 value=values["status"]))
        language = values.get("language", "").lower() or "en"
        if language not in LANGUAGES:
            row_errors.append(_l("Unknown language “%(value)s”: use en, ru or kk.",
                                 value=values["language"]))
        dates = {}
        for column in ("term_start", "term_end", "appointed_on"):
            try:
                dates[column] = _date(values.get(column, ""))
            except ValueError:
                row_errors.append(_l("“%(value)s” is not a date (use YYYY-MM-DD).",
                                     value=values[column]))
                dates[column] = None
        if dates["term_start"] and dates["term_end"] and dates["term_end"] < dates["term_start"]:
            row_errors.append(_l("The term cannot end before it starts."))
        if dates["appointed_on"] and status == "nominee":
            row_errors.append(_l("A nominee has not been appointed: leave “appointed_on” empty."))
        for column, limit in (("name", 200), ("organisation", 200), ("position", 200),
                              ("notes", 5000)):
            if len(values.get(column, "")) > limit:
                row_errors.append(_l("“%(column)s” is longer than %(n)d characters.",
                                     column=column, n=limit))
        if row_errors:
            errors.extend(RowError(line, str(message)) for message in row_errors)
            continue
        rows.append(ImportRow(line=line, email=email, name=values["name"], group_id=group[0],
                              group_name=group[1], organisation=values.get("organisation", ""),
                              position=values.get("position", ""), gender=gender, status=status,
                              term_start=dates["term_start"], term_end=dates["term_end"],
                              language=language, appointed_on=dates["appointed_on"],
                              notes=values.get("notes", "")))
    if not rows and not errors:
        errors.append(RowError(None, str(_l("The file has no rows to import."))))
    return result


def gender_cells(cells: dict, genders, full: bool) -> list:
    """A group x gender row's cells for a CSV: all "suppressed" where the page hides them."""
    if hidden_row(cells, full=full):
        return ["suppressed"] * len(genders)
    return [cells[k] for k in genders]


def table_rows(table, full: bool) -> list[list]:
    """The rows of a group x gender table for a CSV: group, the gender cells, total."""
    return [[name or "", *gender_cells(cells, table.genders, full), total]
            for name, cells, total in table.rows]
