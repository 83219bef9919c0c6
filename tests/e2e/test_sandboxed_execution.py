"""Notebook execution for nbgrader's autograde, inside the sandbox: real outputs for the
feedback, no access to the course or the project, and a dying kernel costs only its cell."""

import nbformat
import pytest

from autograder.sandbox.trusted_side import execute_notebook
from tests.support import REPO_ROOT

pytestmark = pytest.mark.slow


def notebook(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def text(cell):
    return "".join(o.get("text", "") + o.get("evalue", "") for o in cell.outputs)


def test_a_dying_kernel_costs_only_the_cell_it_was_running(tmp_path):
    nb = notebook("x = 1\nprint('antes', x)", "import os\nos._exit(1)", "print('depois')",
                  "import sys\nprint('aviso do TensorFlow', file=sys.stderr)")
    ran = execute_notebook(nb, None, hide=[REPO_ROOT], cell_timeout=20)
    assert "antes 1" in text(ran.cells[0])
    assert ran.cells[1].outputs[-1]["ename"] == "DeadKernelError"
    assert "depois" in text(ran.cells[2])  # a fresh kernel took the following cells
    assert any(o.get("name") == "stderr" for o in ran.cells[3].outputs)


def test_the_kernel_cannot_see_the_project_or_write_outside(tmp_path):
    secret_folder = tmp_path / "curso"
    secret_folder.mkdir()
    (secret_folder / "gradebook.db").write_text("notas", encoding="utf-8")
    nb = notebook(
        "import os\n"
        f"print(os.path.exists({str(REPO_ROOT / 'solutions')!r}), os.path.exists({str(secret_folder / 'gradebook.db')!r}))\n"
        "print(os.getuid(), os.environ.get('NBGRADER_EXECUTION'))",
        f"open({str(secret_folder / 'pwned.txt')!r}, 'w').write('x')",
        "import urllib.request\nurllib.request.urlopen('http://example.com', timeout=3)",
    )
    ran = execute_notebook(nb, None, hide=[REPO_ROOT, secret_folder], cell_timeout=20)
    assert text(ran.cells[0]).split() == ["False", "False", "65534", "autograde"]
    assert ran.cells[1].outputs[-1]["ename"] in ("FileNotFoundError", "PermissionError", "OSError")
    assert ran.cells[2].outputs[-1]["ename"] == "URLError"
    assert not (secret_folder / "pwned.txt").exists()


def test_a_cell_past_its_timeout_is_stopped_and_the_rest_runs():
    nb = notebook("while True:\n    pass", "print('segue')")
    ran = execute_notebook(nb, None, hide=[REPO_ROOT], cell_timeout=3)
    assert any(o.get("output_type") == "error" for o in ran.cells[0].outputs)
    assert "segue" in text(ran.cells[1])


def test_tensorflow_log_lines_never_reach_the_graded_outputs(tmp_path):
    """TensorFlow's absl lines (oneDNN, CUDA drivers) ignore TF_CPP_MIN_LOG_LEVEL: the sandboxed
    Run-All of autograde (``run_all``) leaves them out; the notebook's own stderr stays."""
    from autograder.course.steps import SandboxedExecute
    from autograder.grading.run_all import run_all

    nb = notebook("import tensorflow as tf\nprint(int(tf.constant(2) * 3))",
                  "import sys\nprint('aviso do aluno', file=sys.stderr)")
    ran = run_all(nb, "a6_cnn_keras", tmp_path, SandboxedExecute().settings("a6_cnn_keras"))
    assert [o.get("text") for o in ran[0]["outputs"]] == ["6\n"]
    assert [(o.get("name"), o.get("text")) for o in ran[1]["outputs"]] == [("stderr", "aviso do aluno\n")]
