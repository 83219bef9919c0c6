"""`dlgrade init` builds every assignment into an nbgrader course: source notebooks with the
reference answers that run clean, release notebooks with stubs and no trace of the answers."""
import ast
import inspect
import json
import keyword
import re
import subprocess
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from autograder.builder import assignment_ids, reference_functions
from tests.support import DLGRADE, numpy_assignments

pytestmark = pytest.mark.slow

# The exercise functions of the contract (shared/CONTRACT.md), per numpy assignment.
CONTRACT = {
    "a1_ativacoes": ["neuron_forward", "sigmoid", "tanh", "softmax", "relu_forward", "relu_backward",
                     "leaky_relu_forward", "leaky_relu_backward"],
    "a2_convolucao": ["zero_pad", "conv_output_size", "conv_single_step", "conv_forward", "conv_backward",
                      "count_conv_params", "count_dense_params"],
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


def says_something(line):
    """Lines with fewer than three names or numbers (`else:`, `)`, `return dx`,
    `raise ValueError(`) and import statements say nothing about an answer; every other line does."""
    if re.match(r"(import|from)\s+[\w.]+", line):
        return False
    words = [w for w in re.findall(r"[A-Za-z_][A-Za-z_0-9]*|\d+", line) if not keyword.iskeyword(w)]
    return len(words) >= 3


def reference_body_lines():
    """Every meaningful line of every reference function body (after the docstring), stripped.
    A line the function's own docstring also shows (a formula students are meant to read, like
    `c_next = f * c_prev + i * g`) is public by design and not counted."""
    lines = {}
    for name, function in reference_functions().items():
        source = textwrap.dedent(inspect.getsource(function))
        node = ast.parse(source).body[0]
        public = {line.strip() for line in (ast.get_docstring(node) or "").splitlines()}
        body = source.splitlines()[node.body[0].end_lineno:]
        for line in body:
            stripped = line.strip()
            if not stripped.startswith("#") and says_something(stripped) and stripped not in public:
                lines.setdefault(stripped, name)
    return lines


def find_leaks(folder, body_lines):
    """'file: line (from function)' for every reference body line found in a file under folder."""
    leaks = []
    files = [p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert files, f"nothing under {folder}"
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":  # compare the cell sources, not the JSON escaping
            text = "\n".join(cell.source for cell in nbformat.reads(text, as_version=4).cells)
        file_lines = {line.strip() for line in text.splitlines()}
        leaks += [f"{path.relative_to(folder)}: {line!r} (from {body_lines[line]})"
                  for line in file_lines & body_lines.keys()]
    return leaks


def test_no_line_of_a_reference_body_reaches_the_release(course):
    body_lines = reference_body_lines()
    assert len(body_lines) > 100
    leaks = find_leaks(course / "release", body_lines)
    assert not leaks, "\n".join(leaks)


def test_the_leak_scan_finds_a_leaked_line(tmp_path):
    body_lines = reference_body_lines()
    leaked = next(line for line, name in body_lines.items() if name == "conv_backward")
    (tmp_path / "notes.py").write_text(f"x = 1\n    {leaked}\n", encoding="utf-8")
    assert find_leaks(tmp_path, body_lines) == [f"notes.py: {leaked!r} (from conv_backward)"]


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
