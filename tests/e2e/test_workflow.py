"""The course workflow end to end, as `make demo` runs it, offline: Moodle zip -> zip_collect ->
dlgrade autograde -> feedback -> CSV -> class report; then a serial `nbgrader autograde` from
scratch must write exactly the same scores, and the feedback must never show hidden test code.
The demo class is one whose answers are known, so the report's numbers are checked here."""
import csv
import json
import re
import shutil
import statistics
import subprocess
import zipfile

import nbformat
import pytest

from autograder.authoring.builder import assignment_ids
from autograder.course.folder import run_nbgrader
from autograder.demo.workflow import ASSIGNMENT
from autograder.grading.result_cache import CACHE_DIR_NAME
from tests.support import DLGRADE, exported_scores, offline_prefix
from tests.support.browser import ARTIFACTS, headless_chromium, screenshot

pytestmark = pytest.mark.slow


def grades(course):
    return exported_scores(course, ASSIGNMENT)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = subprocess.run(offline_prefix() + [DLGRADE, "demo", "--keep", str(folder)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return folder / "curso", result


def test_demo_prints_the_summary_and_writes_csv_and_histogram(demo):
    course, result = demo
    for line in ("Ana Souza", "Bruno Lima", "Carla Dias", "Davi Rocha", "Elis Prado", "Fabio Reis", "Gabi Nunes",
                 "tempo total", "relatório da turma"):
        assert line in result.stdout
    assert (course / "grades.csv").is_file()
    png = course / f"notas-{ASSIGNMENT}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "1006" in result.stderr and "não é um notebook válido" in result.stderr  # reported, batch went on


def test_the_build_progress_bar_counts_real_steps(demo):
    _, result = demo
    lines = [line for line in result.stderr.replace("\r", "\n").splitlines() if line.startswith("Montando os notebooks")]
    assert lines and not any(" 0 etapas" in line for line in lines), lines
    steps = len(assignment_ids()) + 1
    assert "100%|" in lines[-1] and f" {steps}/{steps} [" in lines[-1], lines  # one per notebook, then nbgrader


def test_scores_tell_the_students_apart(demo):
    course, _ = demo
    scores = grades(course)
    full = 13.0
    assert scores["1001"] == full          # the reference answer
    assert scores["1005"] == full          # honest nested loops
    assert scores["1007"] == full          # a disguised copy of them
    assert scores["1002"] == 0             # untouched stubs
    assert 0 < scores["1003"] < full       # half right: partial credit
    assert scores["1004"] == full - 3      # the cheater loses conv_forward; his correct conv_backward does not
    assert scores["1006"] == 0             # the broken file


def test_two_students_read_the_services_verdict_before_the_deadline_and_it_is_the_final_score(demo):
    course, result = demo
    out = result.stdout
    assert out.count("roda a célula de envio do notebook") == 2 and out.count("Envio recebido") == 2
    assert "Nota oficial: 13 de 13." in out           # Ana, the reference answer
    carla = re.search(r"Carla Dias roda.*?Nota oficial: ([0-9,]+) de 13\.", out, re.S)
    assert carla and 0 < float(carla.group(1).replace(",", ".")) < 13
    scores = grades(course)
    line = re.search(r"nota do serviço antes do prazo = nota final: Ana Souza (\S+) = (\S+), Carla Dias (\S+) = (\S+)",
                     out)
    assert line, out[-2000:]
    assert [float(v) for v in line.groups()] == [scores["1001"]] * 2 + [scores["1003"]] * 2


def test_output_on_stderr_never_zeroes_a_grade_cell(demo):
    course, _ = demo  # Carla's conv_forward prints to stderr at every call, like TensorFlow
    autograded = nbformat.read(course / "autograded" / "1003" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    grade_cells = [c for c in autograded.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert grade_cells
    for cell in grade_cells:
        assert not any(o.get("name") == "stderr" for o in cell.outputs)
    assert any(o.get("name") == "stderr" for c in autograded.cells for o in c.get("outputs", []))
    assert grades(course)["1003"] > 0


def test_moodle_names_reach_the_gradebook_and_the_csv(demo):
    course, _ = demo
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["1001", "1002", "1003", "1004", "1005", "1006",
                                                                              "1007"]
    assert (course / "submitted" / "1006" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()  # renamed from "tarefa 2 (1)"
    with open(course / "grades.csv", newline="", encoding="utf-8") as stream:
        rows = {r["student_id"]: r for r in csv.DictReader(stream)}
    assert (rows["1001"]["first_name"], rows["1001"]["last_name"]) == ("Ana", "Souza")


def test_feedback_shows_verdicts_and_never_the_hidden_tests(demo):
    course, _ = demo
    html = (course / "feedback" / "1003" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    assert "Testes escondidos" in html and "✘" in html and "✔" in html
    for hidden in ("expect_close", "def test_", "student.call", "pytest", "solutions"):
        assert hidden not in html, hidden
    for student in ("1001", "1002", "1004", "1005"):
        assert (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()


ENGLISH_FEEDBACK_LABELS = ("Student's answer", "Test cell", "Grade cell", "Score", "Comments", "Written response")
TF_LOG_LINES = ("absl::InitializeLog", "oneDNN custom operations", "cuda drivers", "cuInit")


def test_feedback_files_are_small_portuguese_and_free_of_tensorflow_logs(demo):
    course, _ = demo
    pages = sorted((course / "feedback").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.html"))
    assert len(pages) == 6
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert page.stat().st_size < 500_000, (page, page.stat().st_size)  # 3.1 MB with nbgrader's template
        assert '<html lang="pt-BR">' in html and "Exercício: <code>conv_forward</code>" in html
        for noise in TF_LOG_LINES + ENGLISH_FEEDBACK_LABELS:
            assert noise not in html, (page, noise)


def test_feedback_page_in_a_browser(demo, tmp_path):
    """A half-right student's feedback at 900 px: Portuguese labels, the score first, long
    hints wrapped (no horizontal scroll anywhere), math rendered as MathML with no internet."""
    course, _ = demo
    page = course / "feedback" / "1003" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    with headless_chromium(width=900, height=1200) as browser:
        browser.get(page.as_uri())
        text = browser.find_element("tag name", "body").text
        assert browser.find_element("css selector", "#summary h1").text == f"Devolutiva: {ASSIGNMENT}"
        assert browser.find_element("css selector", "#summary .total").text.startswith("Nota: ")
        assert "Sua resposta: conv_forward" in text and "Testes escondidos" in text
        for english in ENGLISH_FEEDBACK_LABELS:
            assert english not in text, english
        # The verdict of conv_forward above the student's code.
        verdict = browser.find_element("css selector", "a#conv_forward ~ .body .verdict").rect["y"]
        answer = browser.find_element("id", "comment-conv_forward_code").rect["y"]
        assert verdict < answer
        width = browser.execute_script("return window.innerWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        scrolling = browser.execute_script(
            "return Array.from(document.querySelectorAll('#notebook pre, #notebook .output_area, #notebook .verdict'))"
            ".filter(e => e.scrollWidth > e.clientWidth + 1).length")
        assert scrolling == 0
        # Math: MathML laid out by the browser (a fraction has height), no TeX left in the text.
        assert browser.execute_script("return document.querySelectorAll('math').length") > 20
        assert browser.execute_script("return document.querySelector('math mfrac').getBoundingClientRect().height") > 15
        assert "$p = (f - 1)/2$" not in text and "$$" not in text
        browser.execute_script("document.getElementById('conv_forward').scrollIntoView()")
        screenshot(browser, "feedback")
    assert (ARTIFACTS / "feedback.png").stat().st_size > 10_000


@pytest.fixture(scope="module")
def class_report(demo):
    """`dlgrade report --json` on the demo course (after the demo wrote its own page)."""
    course, _ = demo
    result = subprocess.run([DLGRADE, "report", ASSIGNMENT, "--course", str(course), "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_report_scores_are_the_gradebooks(demo, class_report):
    course, _ = demo
    scores = grades(course)
    graded = [scores[s] for s in ("1001", "1002", "1003", "1004", "1005", "1007")]  # 1006 is the broken file
    assert class_report["students"] == 6
    assert class_report["score"]["mean"] == pytest.approx(statistics.fmean(graded), abs=1e-4)
    assert class_report["score"]["median"] == pytest.approx(statistics.median(graded), abs=1e-4)
    assert class_report["score"]["max_score"] == 13
    conv = class_report["cells"]["conv_forward"]
    assert conv["max_score"] == 3 and conv["full_marks_share"] == 0.5  # Ana, Elis and Gabi
    assert class_report["submissions"]["not_graded"][0]["student"] == "1006"
    assert "não é um notebook válido" in class_report["submissions"]["not_graded"][0]["reason"]


def test_report_names_what_each_student_got_wrong(class_report):
    found = {(m["grade_id"], m["hint"]): m["students"] for m in class_report["misconceptions"]}
    stride = [students for (grade_id, hint), students in found.items()
              if grade_id == "conv_forward" and "stride foi ignorado" in hint]
    assert stride == [["1003"]]  # Carla's conv_forward ignores the stride
    not_done = [students for (grade_id, hint), students in found.items() if "NotImplementedError" in hint]
    assert not_done and all(students == ["1002"] for students in not_done)  # Bruno's stubs
    stride_cases = [t for t in class_report["tests"] if t["grade_id"] == "conv_forward" and "stride 2" in t["name"]]
    assert stride_cases and all(t["failed_share"] == 0.5 for t in stride_cases)  # Bruno, Carla, Davi


def test_report_flags_the_copy_and_not_the_honest_solutions(class_report):
    pairs = {(tuple(p["students"]), p["grade_id"]): p["similarity"] for p in class_report["similar_pairs"]}
    assert (("1005", "1007"), "conv_forward") in pairs  # Gabi's disguised copy of Elis's loops
    assert (("1001", "1005"), "conv_forward") not in pairs  # the reference and Elis: written apart
    assert (("1001", "1007"), "conv_forward") not in pairs


def test_report_page_in_a_browser(demo, class_report, tmp_path):
    course, _ = demo
    page = course / "reports" / ASSIGNMENT / "index.html"
    with headless_chromium() as browser:
        browser.get(page.as_uri())
        assert browser.find_element("tag name", "h1").text == f"Relatório da turma: {ASSIGNMENT}"
        for plot in ("plot-scores", "plot-exercises"):
            image = browser.find_element("id", plot)
            assert image.is_displayed() and browser.execute_script("return arguments[0].naturalWidth", image) > 300
        assert browser.find_element("id", "students").text == "6"
        assert len(browser.find_elements("css selector", "#cells tbody tr")) == len(class_report["cells"])
        sides = browser.find_elements("css selector", ".pair .sides pre")
        assert len(sides) >= 2 and all(side.is_displayed() for side in sides)
        left, right = sides[0].rect, sides[1].rect
        assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 5  # side by side
        assert sides[0].find_elements("tag name", "mark")  # the shared parts marked
        # Nothing wider than the window: long code scrolls inside its own box.
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        assert "não uma prova" in browser.find_element("css selector", "p.note").text
        screenshot(browser, "report")
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000


def test_demo_returns_grades_and_feedback_for_moodle(demo):
    course, _ = demo
    scores = grades(course)
    with open(course.parent / "moodle" / f"Notas-{ASSIGNMENT}.csv", newline="", encoding="utf-8-sig") as stream:
        rows = {r["Identificador"].removeprefix("Participante"): r for r in csv.DictReader(stream)}
    for student in ("1001", "1002", "1003", "1004", "1005", "1007"):  # out of 13 in nbgrader, of 10 in Moodle
        assert float(rows[student]["Nota"].replace(",", ".")) == pytest.approx(scores[student] / 13 * 10, abs=0.005)
    assert rows["1003"]["Nota"] == "9,08"  # 11.8 of 13, with the worksheet's decimal comma
    assert rows["1006"]["Nota"] == "" and rows["1008"]["Nota"] == ""  # a broken file, nothing sent
    with zipfile.ZipFile(course.parent / "moodle" / f"feedback-{ASSIGNMENT}.zip") as bundle:
        names = sorted(bundle.namelist())
        assert names[0] == f"Ana Souza_1001_assignfeedback_file_{ASSIGNMENT}.html"
        assert len(names) == 6
        assert bundle.read(names[0]) == (course / "feedback" / "1001" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_bytes()


def test_report_of_an_unknown_assignment_or_folder_says_why(demo, tmp_path):
    course, _ = demo
    for args, reason in ((["nada_disso", "--course", str(course)], "not in the gradebook"),
                         ([ASSIGNMENT, "--course", str(tmp_path)], "not a course directory")):
        result = subprocess.run([DLGRADE, "report", *args], capture_output=True, text=True, timeout=300)
        assert result.returncode == 1 and reason in result.stderr and not result.stdout


def test_serial_nbgrader_autograde_gives_the_same_scores(demo):
    course, _ = demo
    parallel = grades(course)
    shutil.rmtree(course / CACHE_DIR_NAME)
    try:
        run_nbgrader(course, "autograde", ASSIGNMENT, "--force")
    except Exception:  # noqa: BLE001 - nbgrader exits non-zero for the broken file, after grading the rest
        pass
    assert grades(course) == parallel
