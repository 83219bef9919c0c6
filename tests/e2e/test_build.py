"""`dlgrade init` builds every assignment into an nbgrader course: source notebooks with the
reference answers that run clean, release notebooks with stubs and no trace of the answers."""
import json
import subprocess
import zipfile

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from autograder.authoring.builder import assignment_ids
from autograder.authoring.profiles import load_profile
from tests.support import DLGRADE, numpy_assignments
from tests.support.leak_scan import find_leaks, reference_statements

pytestmark = pytest.mark.slow

# The exercise functions of the contract (shared/CONTRACT.md), per numpy assignment.
CONTRACT = {
    "a1_ativacoes": ["neuron_forward", "sigmoid", "tanh", "softmax", "relu_forward", "relu_backward",
                     "leaky_relu_forward", "leaky_relu_backward"],
    "a2_convolucao": ["zero_pad", "conv_output_size", "conv_single_step", "conv_forward", "conv_backward",
                      "count_conv_params", "count_dense_params", "conv1d_forward"],
    "a3_pooling": ["pool_forward", "pool_backward", "global_pool", "flatten"],
    "a4_backprop": ["dense_forward", "dense_backward", "mse_loss", "binary_cross_entropy",
                    "softmax_cross_entropy", "numerical_gradient", "dropout_forward", "dropout_backward",
                    "sgd_step", "adam_step"],
    "a5_rnn_lstm": ["rnn_cell_forward", "rnn_cell_backward", "rnn_forward", "rnn_backward",
                    "lstm_cell_forward", "lstm_cell_backward", "lstm_forward"],
}
NUMPY_ASSIGNMENTS = numpy_assignments()


def notebook(course, kind, assignment):
    return nbformat.read(course / kind / assignment / f"{assignment}.ipynb", as_version=4)


def grade_cells(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


def run_all(nb, folder, timeout=60):
    """Executes a notebook like Kernel > Restart & Run All, in its own folder."""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    client.execute()
    return nb


@pytest.mark.parametrize("assignment", NUMPY_ASSIGNMENTS)
def test_every_contract_function_has_its_grade_cell(course, assignment):
    for kind in ("source", "release"):
        cells = grade_cells(notebook(course, kind, assignment))
        assert sorted(cells) == sorted(CONTRACT[assignment]), kind
        for name, cell in cells.items():
            assert cell.metadata["nbgrader"]["points"] > 0
            assert cell.metadata["nbgrader"]["locked"]
            assert f"check_exercise({name})" in cell.source


def test_every_authored_assignment_was_released(course):
    for assignment in assignment_ids():
        assert (course / "source" / assignment / f"{assignment}.ipynb").is_file()
        assert (course / "release" / assignment / f"{assignment}.ipynb").is_file()
        assert (course / "release" / assignment / "dlhelpers" / "checks.py").is_file()


@pytest.mark.parametrize("assignment", NUMPY_ASSIGNMENTS)
def test_release_has_stubs_and_no_markers(course, assignment):
    nb = notebook(course, "release", assignment)
    solution_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(solution_cells) == len(CONTRACT[assignment])
    for cell in solution_cells:
        assert "raise NotImplementedError()" in cell.source
        assert "SEU CÓDIGO AQUI" in cell.source
    text = json.dumps(nb)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN", "END HIDDEN"):
        assert marker not in text


def test_no_statement_of_a_reference_body_reaches_the_release(course):
    """Every statement of every reference body, short ones included (`db = da.sum(axis=0)`),
    against every shipped file: notebooks, dlhelpers (hints included) and the kit's wheel."""
    statements = reference_statements()
    assert len(statements) > 300
    assert list((course / "release").rglob("dlhelpers-*.whl")), "the kit's wheel is scanned too"
    leaks = find_leaks(course / "release", statements)
    assert not leaks, "\n".join(leaks)


def test_the_leak_scan_finds_short_statements_in_prose_strings_and_wheels(tmp_path):
    statements = [s for s in reference_statements() if s.function == "rnn_cell_backward"]
    texts = {s.text for s in statements}
    assert {"da = dh_next * (1 - h_next ** 2)", "db = da.sum(axis=0)", "dx_t = da @ Wx.T"} <= texts
    # Allowed: what the interface already says, and imports.
    assert not texts & {"return (dx_t, dh_prev, dWx, dWh, db)", "return dx_t, dh_prev, dWx, dWh, db"}
    hint = tmp_path / "hints.py"  # the old hint: a statement split across two string literals
    hint.write_text('HINT = ("primeiro volte pela tanh: da = dh_next * "\n        "(1 - h_next**2); depois...")\n',
                    encoding="utf-8")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Dica: `db=da.sum(axis = 0)`.")])
    nbformat.write(notebook, tmp_path / "tarefa.ipynb")
    with zipfile.ZipFile(tmp_path / "kit.whl", "w") as wheel:
        wheel.writestr("kit/hints.py", "H = 'dx_t = da @ Wx.T'\n")
    (tmp_path / "fine.py").write_text("dbx = da.sum(axis=0)\nmy_da = dh_next\n", encoding="utf-8")
    leaks = find_leaks(tmp_path, statements)
    assert sorted(leaks) == sorted([
        "hints.py: 'da = dh_next * (1 - h_next ** 2)' (from rnn_cell_backward)",
        "tarefa.ipynb: 'db = da.sum(axis=0)' (from rnn_cell_backward)",
        "kit.whl!kit/hints.py: 'dx_t = da @ Wx.T' (from rnn_cell_backward)",
    ])


def test_a_statement_the_docstring_shows_is_public():
    """lstm_cell_forward's docstring shows `c_next = f * c_prev + i * g`: not a leak."""
    texts = {s.text for s in reference_statements() if s.function == "lstm_cell_forward"}
    assert texts and "c_next = f * c_prev + i * g" not in texts


@pytest.mark.parametrize("assignment", assignment_ids())
def test_every_release_starts_with_the_environment_cell_and_carries_the_kit(course, assignment):
    first = notebook(course, "release", assignment).cells[0]
    assert first.cell_type == "code" and "install_helpers()" in first.source
    assert "compare_versions(COURSE_VERSIONS)" in first.source and "HELPERS_URL = ''" in first.source
    assert f"'numpy': '{np.__version__}'" in first.source
    assert ("'tensorflow'" in first.source) == load_profile(assignment).keras
    (wheel,) = (course / "release" / assignment).glob("dlhelpers-*-py3-none-any.whl")
    assert wheel.name in first.source
    assert "dlhelpers/checks.py" in zipfile.ZipFile(wheel).namelist()


def test_init_records_the_helpers_url_in_the_first_cell(tmp_path):
    url = "https://drive.google.com/file/d/1AbC-dEf/view?usp=sharing"
    course = tmp_path / "curso"
    result = subprocess.run([DLGRADE, "init", "--assignment", "a1_ativacoes", "--helpers-url", url, str(course)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    first = notebook(course, "release", "a1_ativacoes").cells[0]
    assert f"HELPERS_URL = {url!r}" in first.source


def test_nothing_from_solutions_or_the_autograder_is_shipped(course):
    for path in (course / "release").rglob("*.py*"):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "import solutions" not in text and "from solutions" not in text, path
        assert "autograder" not in text, path


@pytest.mark.parametrize("assignment", NUMPY_ASSIGNMENTS)
def test_source_notebook_runs_clean_without_tensorflow(course, assignment):
    """(Its speed is measured by `make bench-notebooks`.)"""
    nb = notebook(course, "source", assignment)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import sys\nassert not {'tensorflow', 'keras'} & set(sys.modules), 'TensorFlow was imported'"
    ))
    run_all(nb, course / "source" / assignment)
    checks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    for cell in checks:
        printed = "".join(o.get("text", "") for o in cell.outputs)
        assert "✔" in printed, cell.source


@pytest.mark.parametrize("assignment", NUMPY_ASSIGNMENTS)
def test_release_run_all_stops_at_the_first_exercise_with_a_friendly_message(course, assignment):
    nb = notebook(course, "release", assignment)
    with pytest.raises(CellExecutionError) as failure:
        run_all(nb, course / "release" / assignment)
    assert failure.value.ename == "ExerciseNotDone"
    first = CONTRACT[assignment][0]
    assert f"{first} ainda não foi implementada" in failure.value.evalue
    executed_checks = [c for c in grade_cells(nb).values() if c.get("outputs")]
    assert len(executed_checks) == 1  # it stopped at the first check


def test_init_refuses_an_existing_course_and_rebuild_keeps_submissions(course):
    submission = course / "submitted" / "aluna" / "a1_ativacoes" / "a1_ativacoes.ipynb"
    submission.parent.mkdir(parents=True, exist_ok=True)
    submission.write_text("{}", encoding="utf-8")
    gradebook = course / "gradebook.db"
    gradebook_before = gradebook.read_bytes()

    refused = subprocess.run([DLGRADE, "init", str(course)], capture_output=True, text=True)
    assert refused.returncode == 1
    assert "--rebuild" in refused.stderr and "nothing was changed" in refused.stderr

    rebuilt = subprocess.run([DLGRADE, "init", "--rebuild", "--assignment", "a1_ativacoes", str(course)],
                             capture_output=True, text=True, timeout=300)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert submission.read_text(encoding="utf-8") == "{}"
    assert (course / "release" / "a1_ativacoes" / "a1_ativacoes.ipynb").is_file()
    assert gradebook.read_bytes() == gradebook_before or gradebook.stat().st_size > 0


def test_init_on_a_folder_that_is_not_a_course_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = subprocess.run([DLGRADE, "init", "--rebuild", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1 and "is not a dlgrade course" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
