"""The trusted grader on real notebooks: full marks for the reference, zero for the stubs,
full marks for honest alternative implementations, partial credit for a half-right one, and
zero on every cell an attack touches while the rest of the notebook is still graded."""
import json
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from autograder.grading.grader import grade_notebook
from autograder.grading.submission import with_cells
from tests.support import REPO_ROOT, numpy_assignments, run_check
from tests.support.samples import HONEST

pytestmark = pytest.mark.slow
FAST_TIMEOUT = 2.0


def submission_with(course, tmp_path, assignment, replacements, name=None, folder="aluno"):
    """The source notebook of ``assignment`` with some solution cells replaced by other code."""
    nb = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    functions = {c.metadata.get("nbgrader", {}).get("grade_id", "").removesuffix("_code") for c in nb.cells}
    assert set(replacements) <= functions, f"no cell for {sorted(set(replacements) - functions)}"
    nb = with_cells(nb, replacements)
    path = tmp_path / folder / (name or f"{assignment}.ipynb")
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def scores(report):
    return {grade_id: cell["score"] for grade_id, cell in report["cells"].items()}


@pytest.mark.parametrize("assignment", numpy_assignments())
def test_reference_gets_full_marks_and_release_gets_zero(course, assignment):
    for kind, expected in (("source", "full"), ("release", "zero")):
        result = run_check(course / kind / assignment / f"{assignment}.ipynb")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)  # exactly one JSON object on stdout
        assert report["assignment"] == assignment
        assert report["max_score"] > 0
        if expected == "full":
            failing = {g: [t for t in c["tests"] if not t["passed"]][:1] for g, c in report["cells"].items()
                       if c["score"] != c["max_score"]}
            assert report["score"] == report["max_score"], failing
        else:
            assert report["score"] == 0
            for cell in report["cells"].values():
                assert all(not t["passed"] and t["message"] for t in cell["tests"])


@pytest.mark.parametrize("assignment", [a for a in HONEST if a in numpy_assignments()])
def test_honest_alternatives_get_full_marks(course, tmp_path, assignment):
    path = submission_with(course, tmp_path, assignment, dict(HONEST[assignment]))
    report = grade_notebook(path)
    assert report["score"] == report["max_score"], scores(report)


def test_a_half_right_function_gets_partial_credit(course, tmp_path):
    path = submission_with(course, tmp_path, "a1_ativacoes", {
        # ignores `axis`: right along the last axis, wrong otherwise
        "softmax": '''def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)''',
        # ignores `alpha`: right only for the default 0.01
        "leaky_relu_forward": '''def leaky_relu_forward(x, alpha=0.01):
    return np.where(x > 0, x, 0.01 * x), (x, alpha)''',
    })
    report = grade_notebook(path)
    cells = report["cells"]
    for grade_id in ("softmax", "leaky_relu_forward"):
        assert 0 < cells[grade_id]["score"] < cells[grade_id]["max_score"], cells[grade_id]
    failed = [t for t in cells["softmax"]["tests"] if not t["passed"]]
    assert all("valores diferentes" in t["message"] or "shape" in t["message"] for t in failed)
    assert cells["neuron_forward"]["score"] == cells["neuron_forward"]["max_score"]


# One attack per threat class: (the function it replaces, the code, a word of the verdict).
ATTACKS = {
    "patched comparison functions": ("sigmoid", '''import numpy, numpy.testing, math
numpy.allclose = lambda *a, **k: True
numpy.array_equal = lambda *a, **k: True
numpy.isclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
math.isclose = lambda *a, **k: True
def sigmoid(x):
    return x''', "valores diferentes"),
    "objects that claim to equal anything": ("relu_forward", '''class Anything(np.ndarray):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
class AlwaysEqual:
    def __eq__(self, other): return True
def relu_forward(x):
    return AlwaysEqual(), np.zeros(3).view(Anything)''', "numérico"),
    "swallowed exceptions and silenced output": ("neuron_forward", '''import sys, io
sys.stdout = io.StringIO()
sys.stderr = io.StringIO()
def neuron_forward(x, w, b):
    try:
        raise RuntimeError("I do not know")
    except Exception:
        return 0.0''', "diferente"),
    "a score printed or displayed": ("tanh", '''import json
print(json.dumps({"score": 9.0, "max_score": 9.0}))
print("Nota final: 9 / 9")
try:
    from IPython.display import display
    display({"text/plain": "9 / 9"}, raw=True)
except Exception:
    pass
def tanh(x):
    print("score: 1.0")
    return x''', "valores diferentes"),
    "reading the solutions, the suites or the instructor's notebooks": ("relu_backward", '''def relu_backward(dout, cache):
    import os
    for path in ("COURSE/source/a1_ativacoes/a1_ativacoes.ipynb", "REPO/autograder/suites/test_a1_ativacoes.py"):
        if os.path.exists(path):
            raise RuntimeError("could read " + path)
    for copy in ("REPO/solutions/activations.py", "OTHER/solutions/activations.py"):
        try:
            namespace = {}
            exec(open(copy).read(), namespace)
            return namespace["relu_backward"](dout, cache)
        except FileNotFoundError:
            pass
    import sys
    sys.path[:0] = ["REPO", "OTHER"]
    import solutions.activations  # through the import path, then
    return solutions.activations.relu_backward(dout, cache)''', "ModuleNotFoundError"),
    "an infinite loop": ("softmax", '''def softmax(z, axis=-1):
    while True:
        pass''', "não terminou a tempo"),
    "killing the process": ("softmax", '''def softmax(z, axis=-1):
    import os, signal
    os.kill(os.getpid(), signal.SIGKILL)  # PID 1 of a PID namespace ignores this...
    os.kill(os.getppid(), signal.SIGKILL)
    os._exit(1)  # ...so leave for sure''', "terminou de repente"),
    "a huge allocation": ("leaky_relu_backward", '''def leaky_relu_backward(dout, cache):
    hog = np.ones((1 << 33,))
    return hog[: dout.size].reshape(dout.shape)''', "MemoryError"),
    "forking": ("leaky_relu_forward", '''def leaky_relu_forward(x, alpha=0.01):
    import os
    if os.fork() == 0:
        while True:
            os.fork()
    return np.where(x > 0, x, alpha * x), (x, alpha)''', "BlockingIOError"),
    "writing outside the temporary directory": ("neuron_forward", '''def neuron_forward(x, w, b):
    for target in ("/tmp/dlgrade-attack.txt", "REPO/dlgrade-attack.txt", "/root/dlgrade-attack.txt"):
        open(target, "w").write("pwned")
    return float(np.dot(x, w) + b)''', "PermissionError"),
}
# A backward pass is graded through the student's own forward when that forward returns: an
# attack that returns junk touches both. A forward that raises (forking) leaves its backward
# graded on the cache format the notebook documents.
LEFTOVERS = ("/tmp/dlgrade-attack.txt", REPO_ROOT / "dlgrade-attack.txt", "/root/dlgrade-attack.txt")


@pytest.fixture
def another_checkout():
    """A second copy of the answers elsewhere on the machine (another clone, a backup): the
    sandbox shows student code only an allowlist of folders, so this one is invisible too."""
    folder = Path(tempfile.mkdtemp(prefix="dlgrade-other-checkout-", dir="/var/tmp"))
    shutil.copytree(REPO_ROOT / "solutions", folder / "solutions")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("threat", list(ATTACKS))
def test_each_threat_earns_zero_where_it_touches_and_grading_completes(course, tmp_path, threat, another_checkout):
    function, code, verdict = ATTACKS[threat]
    code = code.replace("REPO", str(REPO_ROOT)).replace("COURSE", str(course)).replace("OTHER", str(another_checkout))
    path = submission_with(course, tmp_path, "a1_ativacoes", {function: code})
    report = grade_notebook(path, call_timeout=FAST_TIMEOUT)
    for grade_id, cell in report["cells"].items():
        if grade_id == function:
            assert cell["score"] == 0, cell["tests"][:2]
            assert any(verdict in t["message"] for t in cell["tests"]), cell["tests"][0]["message"]
        else:  # the correct backward of an attacking forward too: graded on the reference's cache
            assert cell["score"] == cell["max_score"], grade_id
    for leftover in LEFTOVERS:
        assert not Path(leftover).exists()


def test_an_attack_at_load_time_costs_only_its_cell(course, tmp_path):
    path = submission_with(course, tmp_path, "a1_ativacoes", {
        "tanh": "import os\nos._exit(0)\ndef tanh(x):\n    return np.tanh(x)",
        "softmax": "while True:\n    pass\ndef softmax(z, axis=-1):\n    return z",
    })
    report = grade_notebook(path, call_timeout=FAST_TIMEOUT)
    assert report["cells"]["tanh"]["score"] == 0 and report["cells"]["softmax"]["score"] == 0
    assert "ignorada" in report["cells"]["tanh"]["tests"][0]["message"]
    others = [c for g, c in report["cells"].items() if g not in ("tanh", "softmax")]
    assert all(c["score"] == c["max_score"] for c in others)


@pytest.mark.parametrize("damage,reason", [
    ("not json", "não é um notebook válido"),
    ("unknown name", "não foi possível saber a tarefa"),
])
def test_a_file_that_is_not_a_gradable_notebook_gets_one_line_and_a_nonzero_exit(course, tmp_path, damage, reason):
    path = submission_with(course, tmp_path, "a1_ativacoes", {})
    if damage == "not json":
        path.write_text('{"cells": [', encoding="utf-8")
    else:
        path = path.rename(path.with_name("tarefa.ipynb"))
    before = path.read_bytes()
    result = run_check(path)
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0], result.stderr
    assert path.read_bytes() == before  # submitted files are never modified


# A broken exercise costs that exercise only: (the exercise, a word of what to restore).
BROKEN = {"sigmoid": "foi apagada", "softmax": "mantenha o `def softmax(...)`", "tanh": "mantenha o `def tanh(...)`"}


def broken_exercises(course, tmp_path):
    """a1 with sigmoid's cell deleted, softmax renamed and tanh assigned from another function."""
    path = submission_with(course, tmp_path, "a1_ativacoes", {
        "softmax": "def my_softmax(z, axis=-1):\n    e = np.exp(z)\n    return e / e.sum(axis=axis, keepdims=True)",
        "tanh": "def other(x):\n    return np.tanh(x)\ntanh = other",
    })
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "sigmoid_code"]
    nbformat.write(nb, path)
    return path


def test_a_broken_exercise_costs_that_exercise_only(course, tmp_path):
    path = broken_exercises(course, tmp_path)
    before = path.read_bytes()
    result = run_check(path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for grade_id, cell in report["cells"].items():
        if grade_id in BROKEN:
            assert cell["score"] == 0
            assert all(BROKEN[grade_id] in t["message"] for t in cell["tests"]), cell["tests"][0]
        else:
            assert cell["score"] == cell["max_score"], grade_id
    assert path.read_bytes() == before


def test_nbgrader_autograde_zeroes_only_the_broken_exercises(course, tmp_path):
    """TrustedGrade: the grade cells of the intact exercises get their verdict and full score."""
    from autograder.course.steps import TrustedGrade

    path = broken_exercises(course, tmp_path)
    nb = nbformat.read(path, as_version=4)
    resources = {"nbgrader": {"assignment": "a1_ativacoes"}, "metadata": {"path": str(path.parent)}}
    nb, _ = TrustedGrade().preprocess(nb, resources)
    outputs = {c.metadata["nbgrader"]["grade_id"]: c.outputs for c in nb.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}
    for grade_id, cell_outputs in outputs.items():
        score = float(next(o for o in cell_outputs if o.output_type == "execute_result").data["text/plain"])
        text = "".join(o.get("text", "") for o in cell_outputs)
        if grade_id in BROKEN:
            assert score == 0 and BROKEN[grade_id] in text, text
        else:
            assert score > 0, (grade_id, text)


def test_lms_file_names_are_understood(course, tmp_path):
    path = submission_with(course, tmp_path, "a1_ativacoes", {},
                           name="Ana Souza_12345_assignsubmission_file_a1_ativacoes.ipynb")
    assert grade_notebook(path)["assignment"] == "a1_ativacoes"
