"""From nbgrader back into Moodle: `dlgrade moodle ASSIGNMENT --worksheet FILE`.

The other direction of ``autograder/instructor/lms.py``. Two files go back, both made the way Moodle's own
importers read them (docs/moodle.md says which Moodle code was read):

- **the grading worksheet**, Moodle's "Download grading worksheet" CSV with its Grade column
  filled: each participant's nbgrader score scaled to the row's Maximum grade, two decimals,
  with a decimal comma when the worksheet's numbers use one. Nothing else in the file changes:
  the cells are replaced in place, so every other byte (BOM, delimiter, quoting, line endings)
  stays as Moodle wrote it. Moodle matches a row by its Identifier, ``Participant 12345``, and
  12345 is the nbgrader student id that ``MoodleCollector`` stored.
- **a zip of feedback files** for "Upload multiple feedback files in a zip": each student's
  ``nbgrader generate_feedback`` HTML named ``<full name>_<participant id>_assignfeedback_file_
  <file>``, which Moodle's importer maps to that participant.

The course's files and the given worksheet are only read.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

# Column headers of Moodle's worksheet, English and Brazilian Portuguese language packs
# (mod/assign: recordid, gradenoun, maxgrade; core: fullname). Compared case-insensitively.
IDENTIFIER_HEADERS = ("Identifier", "Identificador")
GRADE_HEADERS = ("Grade", "Nota")
MAX_GRADE_HEADERS = ("Maximum grade", "Nota máxima")
FULL_NAME_HEADERS = ("Full name", "Nome completo")
# Moodle writes get_string('hiddenuser', 'assign') . uniqueid: "Participant 12345" in English,
# "Participante12345" in pt_br (its string has no trailing space).
PARTICIPANT = re.compile(r"(?:Participant|Participante)\s*(\d+)", re.IGNORECASE)
# Moodle writes commas; its upload form also takes semicolon- and tab-separated files (a
# spreadsheet in Portuguese saves with semicolons).
DELIMITERS = (",", ";", "\t")
# The prefix Moodle's zip importer needs: <name>_<participant id>_<plugin type>_<plugin name>_.
FEEDBACK_PLUGIN = "assignfeedback_file"
BOM = "\ufeff"
CENT = Decimal("0.01")


class WorksheetError(Exception):
    """The file is not Moodle's grading worksheet (or could not be filled without overwriting
    it); the message, one line, names the file and what is wrong."""


@dataclass
class MoodleReturn:
    worksheet: Path            # the filled worksheet written into out
    feedback_zip: Path | None  # None when no feedback files exist
    graded: list[str]          # participant ids whose grade was filled
    blank: list[str]           # participants in the worksheet left blank (no submission / not graded)
    unknown: list[str]         # graded students of the gradebook absent from the worksheet
    # Participants of the worksheet (also in blank) whose submission still waits for grading by
    # hand in nbgrader: their grade would be partial, so it is not filled.
    ungraded: list[str] = field(default_factory=list)


@dataclass
class FilledWorksheet:
    path: Path
    graded: list[str]
    blank: list[str]
    names: dict[str, str]  # participant id -> full name as the worksheet gives it ('' if none)


@dataclass
class Worksheet:
    """A parsed worksheet: the text (without BOM) and, for each record, its cells' values and
    their character spans in the text, so single cells can be rewritten in place."""
    name: str
    text: str
    bom: bool
    delimiter: str
    rows: list[list[str]]                     # rows[0] is the header
    spans: list[list[tuple[int, int]]]
    identifier: int
    grade: int
    max_grade: int
    full_name: int | None

    def participants(self) -> list[tuple[int, str]]:
        """(row index, participant id) of every row whose Identifier Moodle can match."""
        found = []
        for index, row in enumerate(self.rows[1:], start=1):
            match = PARTICIPANT.fullmatch(row[self.identifier].strip())
            if match:
                found.append((index, match[1]))
        return found

    def decimal_comma(self) -> bool:
        """Whether the numbers are written with a decimal comma (Moodle's format_float in a
        language whose decimal separator is a comma, as pt_br)."""
        columns = (self.max_grade, self.grade)
        return any(re.fullmatch(r"\s*\d+,\d+\s*", row[c]) for row in self.rows[1:] for c in columns)


def read_worksheet(source: str | bytes | Path) -> Worksheet:
    """Parses Moodle's grading worksheet: a path, its bytes or its text. Raises WorksheetError
    for anything Moodle's importer would not take or that has no column dlgrade needs."""
    name = source.name if isinstance(source, Path) else "the worksheet"
    if isinstance(source, Path):
        try:
            source = source.read_bytes()
        except OSError as error:
            raise WorksheetError(f"{name}: cannot be read ({error.strerror})") from error
    if isinstance(source, bytes):
        if b"\x00" in source:
            raise WorksheetError(f"{name}: binary data, not Moodle's grading worksheet (a CSV file)")
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as error:
            raise WorksheetError(f"{name}: not UTF-8 text, not the CSV file Moodle's "
                                 "'Download grading worksheet' gives") from error
    bom = source.startswith(BOM)
    text = source[1:] if bom else source
    if not text.strip():
        raise WorksheetError(f"{name}: empty file, not Moodle's grading worksheet")
    first_line = re.split(r"\r\n|\r|\n", text.lstrip("\r\n"), maxsplit=1)[0]
    delimiter = next((d for d in DELIMITERS if _column(_header_cells(first_line, d), IDENTIFIER_HEADERS) is not None),
                     DELIMITERS[0])
    # The columns are checked first: for a file that is not a worksheet at all, that is the news.
    header = _header_cells(first_line, delimiter)
    identifier = _column(header, IDENTIFIER_HEADERS)
    grade = _column(header, GRADE_HEADERS)
    max_grade = _column(header, MAX_GRADE_HEADERS)
    for index, wanted, hint in ((identifier, IDENTIFIER_HEADERS, ""), (grade, GRADE_HEADERS, ""),
                                (max_grade, MAX_GRADE_HEADERS,
                                 " (an assignment graded with a scale has none; dlgrade needs points)")):
        if index is None:
            raise WorksheetError(f"{name}: no {' or '.join(repr(h) for h in wanted)} column, "
                                 f"not Moodle's grading worksheet{hint}")
    rows, spans = _parse(name, text, delimiter)
    if rows[0] != header:
        raise WorksheetError(f"{name}: not valid CSV (its header row cannot be read)")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):  # Moodle's CSV reader refuses such a file (csvweirdcolumns)
            raise WorksheetError(f"{name}: row {number} has {len(row)} cells, the header {len(header)}")
    return Worksheet(name, text, bom, delimiter, rows, spans, identifier, grade, max_grade,
                     _column(header, FULL_NAME_HEADERS))


def _header_cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    """The column with one of these names; the last one, as Moodle's importer takes the last."""
    wanted = {n.casefold() for n in names}
    found = [i for i, h in enumerate(header) if h.strip().casefold() in wanted]
    return found[-1] if found else None


def _parse(name: str, text: str, delimiter: str) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """Values with the csv module, cell spans with a scanner of the same grammar (RFC 4180);
    both must agree. Blank lines are skipped, as Moodle's reader skips them."""
    try:
        values = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True) if row]
    except csv.Error as error:
        raise WorksheetError(f"{name}: not valid CSV ({error})") from error
    cell = re.compile(r'"(?:[^"]|"")*"|[^%s"\r\n]*' % re.escape(delimiter))
    end_of_line = re.compile(r"\r\n|\n|\r")
    spans: list[list[tuple[int, int]]] = []
    position = 0
    while position < len(text):
        record = []
        while True:
            match = cell.match(text, position)
            record.append(match.span())
            position = match.end()
            if not text.startswith(delimiter, position):
                break
            position += len(delimiter)
        newline = end_of_line.match(text, position)
        if newline:
            position = newline.end()
        elif position < len(text):
            raise WorksheetError(f"{name}: not valid CSV (a stray quote in row {len(spans) + 1})")
        if record != [(record[0][0], record[0][0])]:  # not a blank line
            spans.append(record)
    if [len(r) for r in spans] != [len(r) for r in values]:
        raise WorksheetError(f"{name}: not valid CSV (its rows cannot be told apart)")
    return values, spans


def _number(text: str) -> Decimal | None:
    """A number as Moodle writes it (format_float: '10.00' or '10,00')."""
    try:
        return Decimal(text.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None


def scaled_grade(score: float, max_score: float, moodle_max: Decimal) -> Decimal:
    """score/max_score of the Moodle maximum, rounded half up to two decimals and kept within
    [0, maximum]: Moodle's importer skips a grade above the maximum (extra credit can give one)."""
    value = Decimal(repr(float(score))) / Decimal(repr(float(max_score))) * moodle_max
    return min(max(value, Decimal(0)), moodle_max).quantize(CENT, rounding=ROUND_HALF_UP)


def _cell(value: str, delimiter: str) -> str:
    """A cell as PHP's fputcsv (Moodle's writer) quotes it: when it holds the delimiter, a
    quote, white space or a line break."""
    if any(c in value for c in (delimiter, '"', " ", "\t", "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def fill_worksheet(source: str | bytes | Path, grades: dict[str, tuple[float, float]],
                   out_path: Path) -> FilledWorksheet:
    """Writes ``source`` to ``out_path`` with the Grade cell of every participant in ``grades``
    (participant id -> (score, max score)) set to the scaled grade; every other byte is kept.
    Participants not in ``grades`` keep whatever their Grade cell held."""
    out_path = Path(out_path)
    if isinstance(source, Path):
        refuse_overwrite(source, out_path)
    sheet = read_worksheet(source)
    comma = sheet.decimal_comma()
    replacements: list[tuple[int, int, str]] = []
    graded: list[str] = []
    blank: list[str] = []
    names: dict[str, str] = {}
    for index, participant in sheet.participants():
        row = sheet.rows[index]
        names.setdefault(participant, row[sheet.full_name].strip() if sheet.full_name is not None else "")
        score = grades.get(participant)
        if score is None or not score[1]:
            if participant not in blank:
                blank.append(participant)
            continue
        moodle_max = _number(row[sheet.max_grade])
        if moodle_max is None or moodle_max <= 0:
            raise WorksheetError(f"{sheet.name}: row {index + 1} has no usable maximum grade "
                                 f"({row[sheet.max_grade]!r})")
        value = format(scaled_grade(score[0], score[1], moodle_max), "f")
        start, end = sheet.spans[index][sheet.grade]
        replacements.append((start, end, _cell(value.replace(".", ",") if comma else value, sheet.delimiter)))
        if participant not in graded:
            graded.append(participant)
    text = sheet.text
    for start, end, cell in sorted(replacements, reverse=True):
        text = text[:start] + cell + text[end:]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(((BOM if sheet.bom else "") + text).encode("utf-8"))
    return FilledWorksheet(out_path, graded, [p for p in blank if p not in graded], names)


def refuse_overwrite(worksheet: Path, out_path: Path) -> None:
    """The input worksheet is never written to: Moodle's copy stays as downloaded."""
    if out_path.exists() and out_path.resolve() == worksheet.resolve():
        raise WorksheetError(f"{worksheet.name}: writing the filled copy to {out_path} would overwrite it; "
                             "choose another output folder")


def safe_name(full_name: str) -> str:
    """The name part of a zip entry: no underscore (the importer splits the name on them; Moodle's
    own download turns them into spaces), none of the characters Moodle's clean_filename drops
    (control, path and shell characters), not hidden (a leading '.' or '~' is skipped)."""
    name = " ".join(full_name.replace("_", " ").split())
    name = re.sub(r"[\x00-\x1f\x7f&<>\"`|':\\/*?]", "", name).lstrip(".~ ").strip()
    return name or "Participant"


def feedback_entry(participant: str, full_name: str, filename: str) -> str:
    """The zip entry Moodle's "Upload multiple feedback files in a zip" gives to ``participant``
    as a feedback file called ``filename``."""
    return f"{safe_name(full_name)}_{participant}_{FEEDBACK_PLUGIN}_{filename}"


def feedback_zip(files: dict[str, Path], participants: dict[str, str], out_path: Path) -> Path | None:
    """Writes a zip of the feedback ``files`` (participant id -> file) of the ``participants``
    (participant id -> full name), each named for Moodle's zip importer. Files of anyone not in
    ``participants`` are left out; None, and no zip, when nothing is left."""
    chosen = [(p, files[p]) for p in participants if p in files]
    if not chosen:
        return None
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for participant, path in chosen:
            archive.write(path, feedback_entry(participant, participants[participant], Path(path).name))
    return out_path


def gradebook_results(assignment: str, course: Path):
    """(grades, pending, names) of ``assignment`` in the course's gradebook: student id ->
    (score after the late penalty, max score) of each fully graded submission; the ids of
    submissions still waiting for grading by hand; student id -> first and last name."""
    from autograder.course.gradebook import read_assignment

    record = read_assignment(course, assignment)
    grades = {student: (s.score, s.max_score) for student, s in record.submissions.items()
              if not s.needs_manual_grade and s.max_score}
    pending = {student for student, s in record.submissions.items() if s.needs_manual_grade}
    return grades, pending, record.names


def moodle_return(assignment: str, course: Path, worksheet: Path, out: Path) -> MoodleReturn:
    """Fills Moodle's grading ``worksheet`` with the grades of ``assignment`` in ``course``'s
    gradebook and zips the students' feedback HTML, both into ``out`` (created if needed):
    ``out/<worksheet's name>`` and ``out/feedback-<assignment>.zip``. Raises WorksheetError for
    a file that is not Moodle's worksheet and CourseError for a course without that assignment."""
    course, worksheet, out = Path(course), Path(worksheet), Path(out)
    # A wrong file or output folder is reported before the course is opened.
    refuse_overwrite(worksheet, out / worksheet.name)
    read_worksheet(worksheet)
    grades, pending, names = gradebook_results(assignment, course)
    filled = fill_worksheet(worksheet, grades, out / worksheet.name)
    present = {p: filled.names.get(p) or names.get(p, "") for p in filled.names}
    from autograder.course.folder import course_directory

    coursedir = course_directory(course)
    folder = Path(coursedir.root) / coursedir.feedback_directory  # where generate_feedback writes
    files = {p: folder / p / assignment / f"{assignment}.html" for p in present}
    # Feedback of a grade left blank (still to grade by hand) would show a partial score.
    zip_path = feedback_zip({p: f for p, f in files.items() if f.is_file() and p not in pending}, present,
                            out / f"feedback-{assignment}.zip")
    if zip_path is None:  # an earlier run's zip would pass for this run's
        (out / f"feedback-{assignment}.zip").unlink(missing_ok=True)
    return MoodleReturn(
        worksheet=filled.path,
        feedback_zip=zip_path,
        graded=filled.graded,
        blank=filled.blank,
        unknown=sorted(set(grades) - set(filled.names)),
        ungraded=[p for p in filled.blank if p in pending],
    )
