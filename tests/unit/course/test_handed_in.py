"""What the instructor sees of a notebook graded partly by hand (autograder.course.steps.
HandedInOutputs): the outputs the student handed in, labelled, beside the sandboxed run's; grade
cells keep the trusted verdict, so the scores nbgrader stores cannot change; outputs that would
run or render as HTML in the instructor's page are not shown. Also the formgrader's MathJax."""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.utils import determine_grade
from traitlets.config import Config

from autograder.course.handed_in import HANDED_IN, RERUN, HandedInOutputs, shown_output
from autograder.course.steps import verdict_outputs
from autograder.grading.grader import assertion_message
from autograder.paths import html_template_basedirs

STUDENT, ASSIGNMENT = "4242", "projeto_final"


def grading_notebook(hand_graded=True):
    """As nbgrader's autograde holds it after the sandboxed run and the trusted grade."""
    answer = new_markdown_cell("Meu modelo teve acurácia 0.784 em 2624 imagens.")
    answer.metadata["nbgrader"] = {"grade": hand_graded, "solution": True, "grade_id": "discussao", "points": 4,
                                   "locked": False, "schema_version": 3}
    code = new_code_cell("print(len(images))", outputs=[new_output("error", ename="NameError", evalue="images",
                                                                   traceback=["NameError: images"])])
    same = new_code_cell("print('ok')", outputs=[new_output("stream", name="stdout", text="ok\n")])
    check = new_code_cell("check_saved_predictions('predicoes_teste.csv')")
    check.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "predicoes_teste", "points": 3,
                                  "locked": True, "schema_version": 3}
    check.outputs = verdict_outputs({"score": 3.0, "max_score": 3, "tests": [
        {"name": "O arquivo de previsões foi entregue e é legível", "passed": True, "message": "300 previsões"}]})
    return new_notebook(cells=[answer, code, same, check])


def submitted_course(tmp_path, notebook):
    """A course folder whose submitted/ holds ``notebook`` as the student handed it in."""
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    folder = tmp_path / "submitted" / STUDENT / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    graded = tmp_path / "autograded" / STUDENT / ASSIGNMENT
    graded.mkdir(parents=True)
    return folder / f"{ASSIGNMENT}.ipynb", {"metadata": {"path": str(graded)}, "nbgrader": {
        "student": STUDENT, "assignment": ASSIGNMENT, "notebook": ASSIGNMENT}}


def handed_in_version(notebook):
    """The student's file: same cells, their own outputs, one forged verdict and one HTML payload."""
    handed = nbformat.reads(nbformat.writes(notebook), as_version=4)
    handed.cells[1].outputs = [
        new_output("stream", name="stdout", text="2624\n"),
        new_output("display_data", data={"text/html": "<script>fetch('/api/…')</script>", "text/plain": "<tabela>",
                                         "image/png": 'AAAA" onerror="alert(1)'}, metadata={"image/png": {"width": 9}}),
        new_output("display_data", data={"application/javascript": "alert(1)"}),
    ]
    handed.cells[2].outputs = [new_output("stream", name="stdout", text="ok\n")]
    handed.cells[3].outputs = [new_output("execute_result", data={"text/plain": "3.0"}, execution_count=1)]
    return handed


def texts(cell):
    return [o.get("text") or o.get("data", {}).get("text/plain") or o.get("ename") for o in cell.outputs]


def test_the_instructor_sees_the_handed_in_outputs_labelled_and_the_rerun_labelled(tmp_path):
    notebook = grading_notebook()
    path, resources = submitted_course(tmp_path, handed_in_version(notebook))
    before = path.read_bytes()
    grades = [determine_grade(c) for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    verdict = [dict(o) for o in notebook.cells[3].outputs]

    HandedInOutputs().preprocess(notebook, resources)

    assert path.read_bytes() == before  # the handed-in file is only read
    assert texts(notebook.cells[1]) == [f"[{HANDED_IN}]", "2624\n", "<tabela>", f"[{RERUN}]", "NameError"]
    assert texts(notebook.cells[2]) == [f"[{HANDED_IN} (igual à da execução na correção)]", "ok\n"]
    # The grade cell keeps the trusted verdict: the student's "3.0" never reaches it.
    assert [dict(o) for o in notebook.cells[3].outputs] == verdict
    assert [determine_grade(c) for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")] == grades


def test_what_would_run_in_the_instructors_page_is_not_shown():
    shown = shown_output(new_output("display_data", metadata={"image/png": {"width": '1" onload="x'}}, data={
        "text/html": "<img src=x onerror=alert(1)>", "image/svg+xml": "<svg onload=alert(1)/>",
        "text/markdown": "<script>x</script>", "image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}))
    assert shown["data"] == {"text/plain": "<Figure>", "image/png": "iVBORw0KGgo="} and not shown["metadata"]
    assert shown_output(new_output("display_data", data={"application/javascript": "alert(1)"})) is None
    assert shown_output(new_output("display_data", data={"image/jpeg": '" onerror="x'})) is None


def test_a_notebook_graded_only_automatically_is_left_alone(tmp_path):
    notebook = grading_notebook(hand_graded=False)
    notebook.cells[0].metadata["nbgrader"]["solution"] = False
    _, resources = submitted_course(tmp_path, handed_in_version(notebook))
    expected = nbformat.writes(notebook)
    HandedInOutputs().preprocess(notebook, resources)
    assert nbformat.writes(notebook) == expected


def test_without_the_submitted_file_the_rerun_is_labelled(tmp_path):
    notebook = grading_notebook()
    path, resources = submitted_course(tmp_path, notebook)
    path.unlink()
    HandedInOutputs(config=Config()).preprocess(notebook, resources)
    assert texts(notebook.cells[1]) == [f"[{RERUN}]", "NameError"]


def test_a_passing_verdict_shows_its_note_and_no_pytest_line_reaches_a_message():
    text = verdict_outputs({"score": 3.0, "max_score": 3, "tests": [
        {"name": "legível", "passed": True, "message": "Métricas recalculadas: acurácia 0.784"}]})[0]["text"]
    assert "✔ legível\n    Métricas recalculadas: acurácia 0.784" in text
    error = AssertionError("acurácia balanceada 0.500, no nível do acaso\nassert 0.5 >= (0.5 + 0.02)\n +  where 0.5 = f()")
    assert assertion_message(error) == "acurácia balanceada 0.500, no nível do acaso"
    assert assertion_message(AssertionError("assert 1 == 2")) == "o resultado não é o esperado"


def test_the_formgrader_page_loads_mathjax_from_the_jupyter_server(tmp_path):
    from nbconvert import HTMLExporter

    config = Config()
    config.HTMLExporter.template_name = "formgrade"  # as nbgrader's formgrader sets it, then the course's list
    config.HTMLExporter.extra_template_basedirs = html_template_basedirs()
    path = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("$p = (f - 1)/2$")]), path)
    resources = {"assignment_id": "a", "notebook_id": "n", "submission_id": "s", "index": 0, "total": 1,
                 "base_url": "", "student": "x", "last_name": "", "first_name": "", "notebook_path": "n.ipynb"}
    html, _ = HTMLExporter(config=config).from_filename(str(path), resources=resources)
    assert "/static/jupyter_server_mathjax/MathJax.js" in html and "formgrade.js" in html
    assert "cdnjs.cloudflare.com/ajax/libs/mathjax" in html  # only outside a Jupyter server (a file on disk)
