"""projeto_final: the template runs offline on ELPV and on every data layout the loaders support
(class folders, CSV, pre-split folders, a Kaggle download already in the cache), the reference
gets full marks from the predictions it saves, the release gets zero, and `nbgrader autograde`
grades the predictions file handed in with the notebook without touching it."""
import csv

import nbformat
import numpy as np
import pytest
from dlhelpers.data import KAGGLE_COMPLETE_MARKER
from dlhelpers.predictions import save_predictions
from nbclient import NotebookClient
from PIL import Image

from autograder.course.folder import run_nbgrader
from autograder.grading.grader import grade_notebook
from autograder.grading.result_cache import grading_key
from autograder.grading.submission import load_submission
from tests.support import check_report, failing_tests

pytestmark = pytest.mark.slow

ASSIGNMENT = "projeto_final"
AUTOGRADED_POINTS = 9  # build_model 4, evaluate_predictions 2, predicoes_teste 3
CLASSES = ("listrada", "xadrez")


def source_notebook(course):
    return nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def configured(notebook, **settings):
    """The notebook with some lines of its configuration cell (tag "configuracao") changed."""
    cell = next(c for c in notebook.cells if "configuracao" in c.metadata.get("tags", []))
    lines = cell.source.splitlines()
    for name, value in settings.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name} "))
        lines[index] = f"{name} = {value!r}"
    cell.source = "\n".join(lines)
    return notebook


def run(notebook, folder, timeout=600):
    NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return notebook


def pattern_image(path, kind, seed, size=20):
    """A small RGB image whose class is visible: stripes or a checkerboard, with noise."""
    rng = np.random.default_rng(seed)
    rows, cols = np.indices((size, size))
    period = int(rng.integers(2, 5))
    base = (rows // period) % 2 if kind == "listrada" else ((rows // period + cols // period) % 2)
    pixels = np.clip(base[..., None] * 180 + 40 + rng.normal(0, 25, (size, size, 3)), 0, 255).astype(np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)


def class_folders(root, per_class=44, suffix=".png"):
    for label, kind in enumerate(CLASSES):
        for index in range(per_class):
            pattern_image(root / kind / f"{kind}_{index:03d}{suffix}", kind, 100 * label + index)
    return root


def write_layout(layout, folder):
    """A small dataset in one of the layouts; returns the configuration that points to it."""
    if layout == "pasta":
        return {"SOURCE": "pasta", "DATA_PATH": str(class_folders(folder / "dados"))}
    if layout == "csv":
        images = folder / "imagens"
        class_folders(images, suffix=".jpg")
        table = folder / "rotulos.csv"
        with table.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["arquivo", "classe"])
            for path in sorted(images.rglob("*.jpg")):
                writer.writerow([path.relative_to(folder).as_posix(), path.parent.name])
        return {"SOURCE": "csv", "DATA_PATH": str(table), "CSV_COLUMNS": ("arquivo", "classe")}
    if layout == "divididas":
        for part, count in (("train", 30), ("val", 8), ("test", 12)):
            class_folders(folder / "dividido" / part, per_class=count)
        return {"SOURCE": "divididas", "DATA_PATH": str(folder / "dividido")}
    if layout == "kaggle":  # a download already in the cache, laid out as Kaggle unzips it
        target = folder / "cache" / "kaggle" / "dono" / "padroes"
        class_folders(target / "padroes" / "treino")
        (target / KAGGLE_COMPLETE_MARKER).write_text("dono/padroes\n")
        return {"SOURCE": "pasta", "KAGGLE_DATASET": "dono/padroes", "DATA_PATH": "padroes/treino"}
    raise ValueError(layout)


@pytest.mark.parametrize("layout", ["pasta", "csv", "divididas", "kaggle"])
def test_the_template_runs_on_every_layout(course, tmp_path, monkeypatch, layout):
    monkeypatch.setenv("DLGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # the small budget: a quick run
    notebook = configured(source_notebook(course), COLOR_MODE="rgb", **write_layout(layout, tmp_path))
    run(notebook, tmp_path)
    printed = "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []))
    assert "2 classes: listrada, xadrez" in printed
    assert "✔ predicoes_teste.csv" in printed
    with (tmp_path / "predicoes_teste.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["verdadeiro"] for r in rows} == set(CLASSES)
    expected_test = 24 if layout == "divididas" else 22  # 25% of 88, stratified
    assert len(rows) == expected_test


@pytest.fixture(scope="module")
def reference_run(course, tmp_path_factory):
    """The reference notebook run as a student would, on ELPV with a CPU-friendly budget
    (48 px, 6 epochs): it writes predicoes_teste.csv beside itself."""
    folder = tmp_path_factory.mktemp("projeto")
    notebook = configured(source_notebook(course), IMAGE_SIZE=48, EPOCHS=6)
    run(notebook, folder)
    path = folder / f"{ASSIGNMENT}.ipynb"
    nbformat.write(notebook, path)
    return path


def test_reference_gets_full_marks_from_its_saved_predictions_twice_the_same(reference_run):
    reports = []
    for _ in range(2):  # grades are not dice: the same notebook, the same grade
        reports.append(check_report(reference_run))
    report = reports[0]
    assert report["score"] == report["max_score"] == AUTOGRADED_POINTS, failing_tests(report)
    assert reports[1] == report


def test_release_gets_zero(course):
    report = check_report(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    assert report["score"] == 0 and report["max_score"] == AUTOGRADED_POINTS
    messages = [t["message"] for t in report["cells"]["predicoes_teste"]["tests"]]
    assert all("predicoes_teste.csv não foi encontrado" in m for m in messages), messages


def test_a_chance_level_predictions_file_loses_its_points(reference_run, tmp_path):
    notebook = tmp_path / reference_run.name
    notebook.write_bytes(reference_run.read_bytes())
    y_true = np.array([0] * 60 + [1] * 40)
    save_predictions(tmp_path / "predicoes_teste.csv", y_true, np.zeros(100, dtype=int), ("a", "b"))
    cells = grade_notebook(notebook)["cells"]
    assert cells["predicoes_teste"]["score"] == pytest.approx(1.0)  # readable, but no better than "always a"
    assert cells["build_model"]["score"] == cells["build_model"]["max_score"]


def test_the_predictions_file_is_part_of_the_cache_key(reference_run, tmp_path):
    before = grading_key(load_submission(reference_run))
    folder = tmp_path / "outra"
    folder.mkdir()
    save_predictions(folder / "predicoes_teste.csv", np.arange(30) % 2, np.arange(30) % 2, ("a", "b"))
    assert grading_key(load_submission(reference_run, folder)) != before


@pytest.fixture(scope="module")
def autograded(course, reference_run):
    """Student 4242 hands in the reference notebook, run at home, with its predictions file;
    `nbgrader autograde` grades it. Returns (student, the bytes of the file handed in)."""
    student = "4242"
    submitted = course / "submitted" / student / ASSIGNMENT
    submitted.mkdir(parents=True)
    (submitted / f"{ASSIGNMENT}.ipynb").write_bytes(reference_run.read_bytes())
    handed_in = (reference_run.parent / "predicoes_teste.csv").read_bytes()
    (submitted / "predicoes_teste.csv").write_bytes(handed_in)
    run_nbgrader(course, "autograde", ASSIGNMENT, "--student", student, "--force")
    return student, handed_in


def exported(course):
    export = course / "projeto.csv"
    run_nbgrader(course, "export", "--to", str(export))
    with export.open(newline="", encoding="utf-8") as handle:
        return {r["student_id"]: float(r["score"]) for r in csv.DictReader(handle) if r["assignment"] == ASSIGNMENT}


def test_nbgrader_autograde_grades_the_handed_in_file_and_keeps_it(course, reference_run, autograded):
    student, handed_in = autograded
    submitted = course / "submitted" / student / ASSIGNMENT
    assert (submitted / "predicoes_teste.csv").read_bytes() == handed_in
    assert (submitted / f"{ASSIGNMENT}.ipynb").read_bytes() == reference_run.read_bytes()
    autograded_nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    check = next(c for c in autograded_nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "predicoes_teste")
    verdict = check.outputs[0]["text"]
    assert "Testes escondidos: 3 de 3 passaram" in verdict
    assert "Métricas recalculadas do arquivo entregue" in verdict and "F1 macro" in verdict
    assert "assert " not in verdict
    # Hand grading sees what the student handed in, labelled, and the grader's re-run, labelled.
    labels = [o["data"]["text/plain"] for c in autograded_nb.cells for o in c.get("outputs", [])
              if o.get("output_type") == "display_data" and "dlgrade-origem" in o["data"].get("text/html", "")]
    assert any(label.startswith("[Saída entregue pelo aluno") for label in labels), labels
    assert exported(course)[student] == AUTOGRADED_POINTS  # the written parts wait for the instructor


def test_the_formgrader_shows_the_students_work_and_saves_a_manual_score(course, autograded, tmp_path):
    """The formgrader's manual grading page in Debian's chromium: the student's outputs and the
    trusted verdict with its metrics, MathJax served locally (no network here), a score saved
    and exported. Screenshots in tmp_path."""
    from nbgrader.api import Gradebook
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    from autograder.course.gradebook import gradebook_url
    from tests.support.browser import ARTIFACTS, headless_chromium, jupyter_lab, log_in, screenshot

    student, _ = autograded
    database, course_id = gradebook_url(course)
    with Gradebook(database, course_id) as gradebook:
        submission = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student).id

    def manual_score():
        with Gradebook(database, course_id) as gradebook:
            return gradebook.find_grade("discussao", ASSIGNMENT, ASSIGNMENT, student).manual_score

    with headless_chromium(1400, 1000) as browser, jupyter_lab(course, tmp_path / "jupyter.log") as (base, token):
        log_in(browser, base, token)
        browser.get(f"{base}formgrader/submissions/{submission}/?index=0")
        wait = WebDriverWait(browser, 120)
        score = wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, "input.score#discussao")))
        # MathJax itself (not the template's stand-in): served by this server, as nothing else is reachable.
        wait.until(lambda b: b.execute_script("return !!(window.MathJax && MathJax.version && MathJax.loaded)"))
        # formgrade.js got past MathJax: its keyboard shortcuts are registered and the grades loaded.
        wait.until(lambda b: b.execute_script("return !!(formgrader.keyboard_manager && formgrader.grade_uis"
                                              " && formgrader.grade_uis.length)"))
        page = browser.find_element(By.TAG_NAME, "body").text
        assert "Saída entregue pelo aluno" in page and "Métricas recalculadas do arquivo entregue" in page
        assert "Testes escondidos: 3 de 3 passaram" in page and "assert " not in page
        labels = browser.find_elements(By.CSS_SELECTOR, ".dlgrade-origem")
        assert any(e.text == "Saída da execução na correção" for e in labels)  # the data is not here
        # A cell whose handed-in output differs from the re-run's: the student's first, then the re-run's.
        label = next(e for e in labels if e.text == "Saída entregue pelo aluno")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
        screenshot(browser, "formgrader-saida-do-aluno")
        verdict = next(e for e in browser.find_elements(By.CSS_SELECTOR, ".output_area pre")
                       if "Métricas recalculadas" in e.text)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", verdict)
        screenshot(browser, "formgrader-veredito")

        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", score)
        score.clear()
        score.send_keys("3", Keys.TAB)  # formgrade.js saves on change
        WebDriverWait(browser, 60, poll_frequency=0.5).until(lambda _: manual_score() == 3)
        screenshot(browser, "formgrader-nota-manual")
    assert exported(course)[student] == AUTOGRADED_POINTS + 3
    for name in ("formgrader-saida-do-aluno.png", "formgrader-veredito.png", "formgrader-nota-manual.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000
