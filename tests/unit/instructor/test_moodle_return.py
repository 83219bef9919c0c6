"""`dlgrade moodle`: Moodle's grading worksheet filled from the nbgrader gradebook, and the
feedback zip, checked against Moodle's own reading rules (mod/assign/feedback/offline
importgradeslib.php, mod/assign/feedback/file/importziplib.php; see docs/moodle.md)."""
import csv
import hashlib
import io
import os
import shutil
import sys
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from autograder.course.create import COURSE_ID
from autograder.course.folder import CourseError
from autograder.instructor.moodle_return import (
    WorksheetError,
    feedback_entry,
    feedback_zip,
    fill_worksheet,
    moodle_return,
    read_worksheet,
    scaled_grade,
)
from tests.support.moodle_worksheets import (
    BOM,
    ENGLISH,
    ENGLISH_SCALE,
    NAMES,
    PORTUGUESE,
    PORTUGUESE_SPREADSHEET,
)

ASSIGNMENT = "a2_convolucao"
# Notebook out of 11 points (6 + 5), Moodle grade out of 10.
CELLS = {"conv_forward": 6.0, "conv_backward": 5.0}
GRADES = {"12345": (5.5, 11.0), "12346": (11.0, 11.0)}


def write(tmp_path, text, name="Grades-DL2-Convolucao-42.csv", newline=""):
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def moodle_reads(data: bytes, separator=",", language="en"):
    """What Moodle's importer takes from a worksheet: participant id -> grade, by the rules of
    assignfeedback_offline_grade_importer (exact header names of the upload language, the id
    after strlen(hiddenuser) characters) and unformat_float (the language's decimal separator
    replaced by a point)."""
    strings = {"en": ("Identifier", "Grade", "Participant ", "."),
               "pt_br": ("Identificador", "Nota", "Participante", ",")}
    identifier, grade, hiddenuser, decsep = strings[language]
    text = data.decode("utf-8").removeprefix(BOM)
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=separator) if r]
    header = rows[0]
    id_index, grade_index = header.index(identifier), header.index(grade)
    read = {}
    for row in rows[1:]:
        participant = row[id_index][len(hiddenuser):]
        value = row[grade_index].strip().replace(" ", "").replace(decsep, ".")
        read[int(participant)] = float(value) if value else None
    return read


# --- the worksheet --------------------------------------------------------------------------


def test_english_worksheet_gets_scaled_grades_with_a_point_and_nothing_else_changes(tmp_path):
    source = write(tmp_path, ENGLISH)
    filled = fill_worksheet(source, GRADES, tmp_path / "out" / source.name)

    assert filled.path == tmp_path / "out" / source.name
    assert filled.graded == ["12345", "12346"]
    assert filled.blank == ["12347", "12348"]
    assert filled.names == NAMES
    expected = (ENGLISH
                .replace('"Submitted for grading",,10.00,Yes,"Monday, 7 April 2025, 10:15 PM"',
                         '"Submitted for grading",5.00,10.00,Yes,"Monday, 7 April 2025, 10:15 PM"')
                .replace('"Submitted for grading - Graded",7.50,10.00', '"Submitted for grading - Graded",10.00,10.00'))
    assert expected != ENGLISH
    assert filled.path.read_bytes() == expected.encode("utf-8")
    assert moodle_reads(filled.path.read_bytes()) == {12345: 5.0, 12346: 10.0, 12347: None, 12348: None}


def test_portuguese_worksheet_gets_a_decimal_comma_quoted_as_moodle_quotes_it(tmp_path):
    source = write(tmp_path, PORTUGUESE)
    filled = fill_worksheet(source, GRADES, tmp_path / "out" / source.name)

    expected = (PORTUGUESE
                .replace('"Enviado para avaliação",,"10,00",Sim,"segunda-feira, 7 abril 2025, 22:15"',
                         '"Enviado para avaliação","5,00","10,00",Sim,"segunda-feira, 7 abril 2025, 22:15"')
                .replace('"Enviado para avaliação - Avaliado","7,50"', '"Enviado para avaliação - Avaliado","10,00"'))
    assert filled.path.read_bytes() == expected.encode("utf-8")
    assert filled.path.read_bytes().startswith(BOM.encode("utf-8"))
    assert moodle_reads(filled.path.read_bytes(), language="pt_br") == {12345: 5.0, 12346: 10.0,
                                                                         12347: None, 12348: None}


def test_a_spreadsheet_saved_copy_keeps_its_semicolons_and_crlf(tmp_path):
    source = write(tmp_path, PORTUGUESE_SPREADSHEET)
    filled = fill_worksheet(source, {"12347": (7.0, 11.0)}, tmp_path / "out" / source.name)

    expected = PORTUGUESE_SPREADSHEET.replace("Nenhum envio;;10,00", "Nenhum envio;6,36;10,00")
    assert filled.path.read_bytes() == expected.encode("utf-8")
    assert filled.graded == ["12347"]
    assert filled.blank == ["12345", "12346", "12348"]  # 12346 keeps the 7,50 Moodle already has
    assert moodle_reads(filled.path.read_bytes(), separator=";", language="pt_br")[12346] == 7.5


def test_a_worksheet_without_bom_gets_none(tmp_path):
    source = write(tmp_path, ENGLISH.removeprefix(BOM))
    filled = fill_worksheet(source, GRADES, tmp_path / "out" / source.name)
    assert filled.path.read_bytes().startswith(b"Identifier,")


def test_embedded_line_breaks_stay_inside_their_cell(tmp_path):
    # A scale worksheet has no Maximum grade: refused, but its multi-line cell parses.
    with pytest.raises(WorksheetError, match="Maximum grade"):
        read_worksheet(write(tmp_path, ENGLISH_SCALE))
    sheet = read_worksheet(ENGLISH_SCALE.replace(",Scale,", ',"Maximum grade",'))
    assert [p for _, p in sheet.participants()] == ["12345"]
    assert sheet.rows[1][5] == "Not satisfactory\nSatisfactory"


@pytest.mark.parametrize(("score", "max_score", "moodle_max", "grade"), [
    (5.5, 11, "10", "5.00"),
    (7, 11, "10", "6.36"),
    (2, 3, "10", "6.67"),
    (1, 16, "10", "0.63"),      # 0.625: half up, not to even
    (12, 11, "10", "10.00"),    # extra credit: Moodle skips a grade above the maximum
    (0, 11, "10", "0.00"),
    (9, 11, "100", "81.82"),
])
def test_grades_are_scaled_to_the_moodle_maximum_with_two_decimals(score, max_score, moodle_max, grade):
    assert format(scaled_grade(score, max_score, Decimal(moodle_max)), "f") == grade


def test_no_submission_no_score_and_zero_points_leave_the_cell_as_it_was(tmp_path):
    source = write(tmp_path, ENGLISH)
    filled = fill_worksheet(source, {"12346": (0.0, 0.0), "99999": (3.0, 11.0)}, tmp_path / "out" / "x.csv")
    assert filled.graded == []
    assert filled.path.read_bytes() == ENGLISH.encode("utf-8")


def test_the_input_worksheet_is_never_overwritten(tmp_path):
    source = write(tmp_path, ENGLISH)
    with pytest.raises(WorksheetError, match="overwrite"):
        fill_worksheet(source, GRADES, source)
    assert source.read_bytes() == ENGLISH.encode("utf-8")


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"\n\r\n  \n", "empty"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary"),
    ("Identificador;Nota\n".encode("latin-1").replace(b"Nota", "Nota máxima".encode("latin-1")), "UTF-8"),
    (ENGLISH.replace("Identifier,", "Id,").encode("utf-8"), "'Identifier' or 'Identificador'"),
    (ENGLISH.replace(",Grade,", ",Points,").encode("utf-8"), "'Grade' or 'Nota'"),
    (ENGLISH.replace('"Maximum grade"', "Scale").encode("utf-8"), "'Maximum grade' or 'Nota máxima'"),
    (b"student_id,score\n12345,5.5\n", "'Identifier' or 'Identificador'"),
    (b'{"Identifier": "Participant 12345", "Grade": 5}', "'Identifier' or 'Identificador'"),
    (ENGLISH.replace("Yes,-,-,\n", "Yes,-,-\n").encode("utf-8"), "row 4 has 9 cells, the header 10"),
    (ENGLISH.replace('"Ana Souza"', '"Ana" Souza').encode("utf-8"), "not valid CSV"),
])
def test_files_that_are_not_moodles_worksheet_are_refused_with_a_reason(tmp_path, content, reason):
    source = write(tmp_path, content, name="notas.csv")
    with pytest.raises(WorksheetError) as raised:
        fill_worksheet(source, GRADES, tmp_path / "out" / "notas.csv")
    message = str(raised.value)
    assert message.startswith("notas.csv: ") and reason in message and "\n" not in message
    assert not (tmp_path / "out").exists()


# --- the feedback zip -----------------------------------------------------------------------

# Plugins an assignment of this course has; get_plugin_by_type finds any installed one.
PLUGINS = {("assignsubmission", "file"), ("assignsubmission", "onlinetext"), ("assignfeedback", "comments"),
           ("assignfeedback", "file"), ("assignfeedback", "offline")}


def moodle_zip_import(entries, participants):
    """entry -> (participant id, stored file name), by is_valid_filename_for_import: the file
    is extracted under /import/; hidden files are skipped; each path part is split on '_' into
    at most 5 pieces; the first part with 4 or more whose 2nd piece is numeric, a participant's
    unique id, and whose 3rd and 4th pieces name a plugin wins; what follows is the file name."""
    found = {}
    for entry in entries:
        filepath, _, filename = ("/import/" + entry).rpartition("/")
        if filename.startswith((".", "~")):
            continue
        parts = f"{filepath}/{filename}".split("/")
        while parts:
            info = parts.pop(0).split("_", 4)
            if len(info) < 4 or not info[1].isdigit() or int(info[1]) not in participants:
                continue
            if (info[2], info[3]) not in PLUGINS:
                continue
            parts.insert(0, info[4] if len(info) == 5 else "")
            found[entry] = (int(info[1]), "/".join(parts))
            break
    return found


def test_feedback_zip_entries_land_on_their_participant_with_the_html_as_is(tmp_path):
    files = {}
    for participant in ("12345", "12346", "12348", "77777"):
        files[participant] = tmp_path / "feedback" / participant / ASSIGNMENT / f"{ASSIGNMENT}.html"
        files[participant].parent.mkdir(parents=True)
        files[participant].write_bytes(f"<html><body>Nota de {participant}: ção</body></html>".encode())

    path = feedback_zip(files, NAMES, tmp_path / "out" / "feedback.zip")

    with zipfile.ZipFile(path) as archive:
        entries = archive.namelist()
        contents = {name: archive.read(name) for name in entries}
    assert entries == ["Ana Souza_12345_assignfeedback_file_a2_convolucao.html",
                       "Souza, Bruno_12346_assignfeedback_file_a2_convolucao.html",
                       "Maria Clara Lima_12348_assignfeedback_file_a2_convolucao.html"]
    landed = moodle_zip_import(entries, participants={int(p) for p in NAMES})
    assert {entry: pair for entry, pair in landed.items()} == {
        entries[0]: (12345, "a2_convolucao.html"),
        entries[1]: (12346, "a2_convolucao.html"),
        entries[2]: (12348, "a2_convolucao.html"),
    }
    for entry, (participant, _) in landed.items():
        assert contents[entry] == files[str(participant)].read_bytes()


def test_names_that_would_mislead_the_importer_are_cleaned():
    for name in ("Ana_Souza_2", "../etc/passwd", ".oculto", "~til", "", 'A "B" <C>|D:E*F?', "João\tConceição"):
        entry = feedback_entry("12345", name, "a2_convolucao.html")
        assert moodle_zip_import([entry], participants={12345}) == {entry: (12345, "a2_convolucao.html")}
    assert feedback_entry("12345", "João Conceição", "f.html") == "João Conceição_12345_assignfeedback_file_f.html"
    assert feedback_entry("12345", "João\tda_Conceição ", "f.html") == "João da Conceição_12345_assignfeedback_file_f.html"
    assert feedback_entry("12345", "Ana D'Ávila/Souza", "f.html") == "Ana DÁvilaSouza_12345_assignfeedback_file_f.html"


def test_no_feedback_files_no_zip(tmp_path):
    assert feedback_zip({}, NAMES, tmp_path / "feedback.zip") is None
    assert feedback_zip({"99999": tmp_path / "x.html"}, NAMES, tmp_path / "feedback.zip") is None
    assert not (tmp_path / "feedback.zip").exists()


# --- the whole command on a real gradebook --------------------------------------------------


@pytest.fixture(scope="module")
def course_template(tmp_path_factory):
    """A course folder with nbgrader's configuration, a real SQLite gradebook and feedback:
    12345 scored 5.5/11, 12346 11/11, 12348 waits for grading by hand, 12350 scored 3/11 but is
    not in the worksheet (enrolled later, say); 12347 has no submission."""
    course = tmp_path_factory.mktemp("template") / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.course_id = {COURSE_ID!r}\n")
    # A new gradebook asks the `alembic` command of this environment for its schema version.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
        gradebook = Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID)
    with gradebook:
        gradebook.add_assignment(ASSIGNMENT)
        gradebook.update_or_create_notebook(ASSIGNMENT, ASSIGNMENT)
        for cell, points in CELLS.items():
            gradebook.update_or_create_grade_cell(cell, ASSIGNMENT, ASSIGNMENT, max_score=points, cell_type="code")
        scores = {"12345": (3.0, 2.5), "12346": (6.0, 5.0), "12348": (6.0, None), "12350": (3.0, 0.0)}
        for student, points in scores.items():
            gradebook.add_student(student, first_name=f"Nome{student}", last_name="Sobrenome")
            with warnings.catch_warnings():  # nbgrader's add_submission itself warns so on SQLAlchemy 2
                warnings.simplefilter("ignore", SAWarning)
                gradebook.add_submission(ASSIGNMENT, student)
            for cell, score in zip(CELLS, points):
                grade = gradebook.find_grade(cell, ASSIGNMENT, ASSIGNMENT, student)
                grade.auto_score = score
                grade.needs_manual_grade = score is None
        gradebook.add_student("12347")
        gradebook.db.commit()
    for student in ("12345", "12346", "12350"):
        html = course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        html.parent.mkdir(parents=True)
        html.write_text(f"<html>feedback {student}</html>", encoding="utf-8")
    return course


@pytest.fixture
def course(course_template, tmp_path) -> Path:
    return Path(shutil.copytree(course_template, tmp_path / "course"))


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_moodle_return_fills_the_worksheet_and_zips_the_feedback_from_the_gradebook(course, tmp_path):
    worksheet = write(tmp_path, PORTUGUESE)
    course_before, worksheet_before = snapshot(course), worksheet.read_bytes()

    result = moodle_return(ASSIGNMENT, course, worksheet, tmp_path / "para-o-moodle")

    assert result.worksheet == tmp_path / "para-o-moodle" / worksheet.name
    assert result.graded == ["12345", "12346"]
    assert result.blank == ["12347", "12348"]
    assert result.ungraded == ["12348"]
    assert result.unknown == ["12350"]
    assert moodle_reads(result.worksheet.read_bytes(), language="pt_br") == {12345: 5.0, 12346: 10.0,
                                                                             12347: None, 12348: None}
    assert result.feedback_zip == tmp_path / "para-o-moodle" / f"feedback-{ASSIGNMENT}.zip"
    with zipfile.ZipFile(result.feedback_zip) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == {
            "Ana Souza_12345_assignfeedback_file_a2_convolucao.html": b"<html>feedback 12345</html>",
            "Souza, Bruno_12346_assignfeedback_file_a2_convolucao.html": b"<html>feedback 12346</html>",
        }
    assert worksheet.read_bytes() == worksheet_before
    assert snapshot(course) == course_before


def test_names_come_from_the_gradebook_when_the_worksheet_has_none(course, tmp_path):
    # Blind marking: Moodle leaves out the names.
    blind = BOM + ('Identifier,Status,Grade,"Maximum grade","Grade can be changed","Last modified (submission)",'
                   '"Last modified (grade)"\n"Participant 12345","Submitted for grading",,10.00,Yes,'
                   '"Monday, 7 April 2025, 10:15 PM",-\n')
    result = moodle_return(ASSIGNMENT, course, write(tmp_path, blind), tmp_path / "out")
    assert result.graded == ["12345"]
    assert result.unknown == ["12346", "12350"]
    with zipfile.ZipFile(result.feedback_zip) as archive:
        assert archive.namelist() == ["Nome12345 Sobrenome_12345_assignfeedback_file_a2_convolucao.html"]


def test_no_feedback_files_give_no_zip(course, tmp_path):
    worksheet = write(tmp_path, ENGLISH)
    first = moodle_return(ASSIGNMENT, course, worksheet, tmp_path / "out")
    assert first.feedback_zip.is_file()
    shutil.rmtree(course / "feedback")
    result = moodle_return(ASSIGNMENT, course, worksheet, tmp_path / "out")
    assert result.feedback_zip is None
    assert not first.feedback_zip.exists()  # the earlier run's zip is not left to be uploaded again
    assert result.graded == ["12345", "12346"]


def test_an_assignment_missing_from_the_gradebook_is_a_course_error(course, tmp_path):
    with pytest.raises(CourseError, match="a3_pooling is not in the gradebook"):
        moodle_return("a3_pooling", course, write(tmp_path, ENGLISH), tmp_path / "out")


def test_a_course_without_gradebook_is_reported_and_left_without_one(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    with pytest.raises(CourseError, match="no gradebook"):
        moodle_return(ASSIGNMENT, course, write(tmp_path, ENGLISH), tmp_path / "out")
    assert not (course / "gradebook.db").exists()


def test_a_wrong_worksheet_is_reported_before_the_course_is_looked_at(tmp_path):
    with pytest.raises(WorksheetError, match="grades.csv: no 'Identifier'"):
        moodle_return(ASSIGNMENT, tmp_path / "no-course", write(tmp_path, b"student_id,score\n", name="grades.csv"),
                      tmp_path / "out")
    worksheet = write(tmp_path, ENGLISH)
    with pytest.raises(WorksheetError, match="overwrite"):
        moodle_return(ASSIGNMENT, tmp_path / "no-course", worksheet, worksheet.parent)


def test_nbgraders_late_penalty_reaches_moodle_as_in_nbgrader_export(course, tmp_path):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "12346").late_submission_penalty = 2.2
        gradebook.db.commit()
    result = moodle_return(ASSIGNMENT, course, write(tmp_path, PORTUGUESE), tmp_path / "out")
    assert moodle_reads(result.worksheet.read_bytes(), language="pt_br")[12346] == 8.0  # (11 - 2.2) / 11 * 10


def test_feedback_of_a_grade_still_to_give_by_hand_stays_out_of_the_zip(course, tmp_path):
    html = course / "feedback" / "12348" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    html.parent.mkdir(parents=True)
    html.write_text("<html>nota parcial</html>", encoding="utf-8")
    result = moodle_return(ASSIGNMENT, course, write(tmp_path, PORTUGUESE), tmp_path / "out")
    assert result.ungraded == ["12348"]
    with zipfile.ZipFile(result.feedback_zip) as archive:
        assert not [name for name in archive.namelist() if "_12348_" in name]


def test_a_relative_sqlite_url_is_the_course_folders(course, tmp_path):
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.CourseDirectory.db_url = 'sqlite:///gradebook.db'\n")
    result = moodle_return(ASSIGNMENT, course, write(tmp_path, ENGLISH), tmp_path / "out")  # run from elsewhere
    assert result.graded == ["12345", "12346"]


def test_a_gradebook_server_that_is_down_is_a_course_error(course, tmp_path):
    config = course / "nbgrader_config.py"
    # Port 1 of loopback: nothing listens there, the connection is refused at once.
    config.write_text(config.read_text() + "c.CourseDirectory.db_url = 'postgresql+psycopg://dlgrade@127.0.0.1:1/x'\n")
    with pytest.raises(CourseError, match="cannot open the gradebook at postgresql"):
        moodle_return(ASSIGNMENT, course, write(tmp_path, ENGLISH), tmp_path / "out")
