"""What a student reads when their code raises, on real student code in the real sandbox: the
exception in one line, the function and the notebook cell where it happened (never an internal
index), and a Portuguese explanation with a hint for the common mistakes. And a broken exercise
(cell deleted, function renamed or replaced) costs that exercise only."""
import nbformat
import numpy as np
import pytest

from autograder.authoring.builder import build_source_notebook
from autograder.grading.grader import RAISED, grade_notebook
from autograder.grading.result_cache import grading_key
from autograder.grading.submission import load_submission, with_cells
from autograder.sandbox.error_hints import Frame, describe
from autograder.sandbox.trusted_side import Sandbox, StudentCodeError

SETUP = "import numpy as np\n"
# Each function reproduces one mistake as students write it; the first line is the `def`.
STUDENT_CODE = '''
def float_of_array(b):
    return float(b)

def int_of_array(x):
    return int(x.sum(axis=0))

def scalar_slot(a_slice, W):
    Z = np.zeros((1, 2, 2, 1))
    Z[0, 0, 0, 0] = np.sum(a_slice * W, axis=(0, 1), keepdims=True)
    return Z

def broadcast(x):
    return x + np.ones(4)

def out_of_bounds(x):
    total = 0
    for i in range(x.shape[0] + 1):
        total += x[i]
    return total

def undefined_name(x):
    return x * learning_rate

def unbound(x):
    for value in x[:0]:
        last = value
    return last

def unpack(x):
    out, cache = x, x, x
    return out

def int_and_float(x):
    acc = np.zeros_like(x, dtype=int)
    acc += x * 0.5
    return acc

def matmul(x, W):
    return x @ W

def stub(x):
    # SEU CÓDIGO AQUI
    raise NotImplementedError()

def conv_single_step(a_slice, W, b):
    return np.sum(a_slice * W) + b

def conv_forward(A, W, b):
    Z = np.zeros(2)
    for h in range(2):
        Z[h] = conv_single_step(A[h:h + 3], W, b)
    return Z
'''
LABELS = ['célula que começa com "import numpy as np"', "célula do exercício conv_forward"]


def line_of(text: str) -> int:
    """The line of ``text`` in the exercise cell (the worker numbers lines from 1)."""
    return next(n for n, line in enumerate(STUDENT_CODE.splitlines(), 1) if text in line)


@pytest.fixture(scope="module")
def box():
    with Sandbox([SETUP, STUDENT_CODE], labels=LABELS) as sandbox:
        assert sandbox.start() == {}
        yield sandbox


def raised(box, function, *args) -> StudentCodeError:
    with pytest.raises(StudentCodeError) as caught:
        box.call(function, *args)
    return caught.value


X = np.arange(6.0).reshape(2, 3)
ROWS = {
    "float() of an array": ("float_of_array", (np.ones((1, 1, 1)),), "TypeError", [".item()", "numpy"]),
    "int() of an array": ("int_of_array", (np.ones((2, 3)),), "TypeError", [".item()"]),
    "an array in a scalar slot": ("scalar_slot", (np.ones((2, 2, 1)), np.ones((2, 2, 1))), "ValueError",
                                  [".item()", "Z[i, h, w, c]"]),
    "broadcasting": ("broadcast", (X,), "ValueError", ["shapes incompatíveis", "(2,3) e (4,)"]),
    "index out of bounds": ("out_of_bounds", (X,), "IndexError", ["fora dos limites", "tamanho 2"]),
    "undefined name": ("undefined_name", (X,), "NameError", ["não foi definid", "learning_rate"]),
    "unbound local": ("unbound", (X,), "UnboundLocalError", ["antes de receber um valor", "last"]),
    "unpacking": ("unpack", (X,), "ValueError", ["desempacotar"]),
    "int and float arrays": ("int_and_float", (X,), "UFuncTypeError", ["inteiros", ".astype(float)"]),
    "matmul shapes": ("matmul", (X, np.ones((4, 2))), "ValueError", ["shapes incompatíveis", ".T"]),
}


@pytest.mark.parametrize("row", list(ROWS))
def test_each_common_mistake_is_explained_in_portuguese_with_a_hint(box, row):
    function, args, error_type, needles = ROWS[row]
    error = raised(box, function, *args)
    message = str(error)
    first, where, *explanation = message.splitlines()
    assert first.startswith(error_type + ": ") and error.error_type == error_type  # the exception, one line
    assert where.startswith(f"onde: em {function} (na célula do exercício conv_forward, linha ")
    assert explanation and explanation[-1].startswith("dica: "), message
    for needle in needles:
        assert needle in message, message
    assert error.brief == "\n".join([first, where])  # for a suite that has a more specific hint


def test_the_line_is_the_line_of_the_cell_that_raised(box):
    message = str(raised(box, "out_of_bounds", X))
    assert f"linha {line_of('total += x[i]')})" in message
    assert "célula 2" not in message and "celula" not in message  # never the internal index


def test_an_error_in_a_helper_names_the_helper_and_its_caller(box):
    message = str(raised(box, "conv_forward", np.ones(3), np.ones(3), 0.0))
    assert message.startswith("ValueError: operands could not be broadcast")
    where = message.splitlines()[1]
    assert where == (f"onde: em conv_single_step (na célula do exercício conv_forward, linha "
                     f"{line_of('np.sum(a_slice * W) + b')}), chamada por conv_forward (na célula do exercício "
                     f"conv_forward, linha {line_of('Z[h] = conv_single_step')})")


def test_a_stub_says_the_function_is_not_implemented_yet(box):
    message = str(raised(box, "stub", X))
    assert message.splitlines()[0] == "NotImplementedError: a função ainda não foi implementada"
    assert "dica" not in message  # nothing to explain: the student has not started


def test_the_message_a_test_shows_begins_with_the_exception_name():
    """`dlgrade report` groups a class's errors by the name after RAISED."""
    from autograder.grading.grader import feedback_message
    from autograder.instructor.class_report import RAISED_ERROR

    error = StudentCodeError(describe(["IndexError", "LookupError"], "index 3 is out of bounds for axis 0 with size 3",
                                      [Frame("célula do exercício pool", 4, "pool")]), "IndexError")
    assert RAISED_ERROR.search(feedback_message(error)).group("error") == "IndexError"


@pytest.mark.parametrize("types,message,needle", [
    # What older numpy says (or warns) for the traps numpy 2.4 refuses.
    (["TypeError"], "only length-1 arrays can be converted to Python scalars", ".item()"),
    (["TypeError"], "only size-1 arrays can be converted to Python scalars", ".item()"),
    (["DeprecationWarning", "Warning"], "Conversion of an array with ndim > 0 to a scalar is deprecated", ".item()"),
    (["ValueError"], "operands could not be broadcast together with remapped shapes "
                     "[original->remapped]: (2,3)->(2,3) (4,)->(4,) and requested shape (2,3)", "(2,3) e (4,)"),
    (["ValueError"], "shapes (2,3) and (4,2) not aligned: 3 (dim 1) != 4 (dim 0)", "shapes incompatíveis"),
    (["ValueError"], "not enough values to unpack (expected 3, got 2)", "desempacotar"),
    (["TypeError"], "cannot unpack non-iterable NoneType object", "return"),
    (["IndexError", "LookupError"], "list index out of range", "fora dos limites"),
    (["UnboundLocalError", "NameError"], "local variable 'dW' referenced before assignment",
     "antes de receber um valor"),
    (["UFuncTypeError", "TypeError"], "Cannot cast array data from dtype('float64') to dtype('int64') "
                                      "according to the rule 'safe'", "inteiros"),
])
def test_other_numpy_and_python_wordings_of_the_same_mistakes(types, message, needle):
    text = describe(types, message, [Frame("célula do exercício f", 3, "f")])
    assert needle in text and "\ndica: " in text, text


def test_an_unknown_error_keeps_its_one_line_message_and_location_only():
    text = describe(["KeyError", "LookupError"], "'W1'\nsecond line", [Frame("célula do exercício f", 3, "f")])
    assert text == "KeyError: 'W1' second line\nonde: em f (na célula do exercício f, linha 3)"


def test_load_errors_name_the_cell_a_student_can_find():
    cells = ["import numpy as np\nimport dlhelperz", "def f(x):\n    return x +\n"]
    with Sandbox(cells, labels=['célula que começa com "import numpy as np"', "célula do exercício f"]) as box:
        errors = box.start()
    assert errors[0].startswith("ModuleNotFoundError: No module named 'dlhelperz'\n"
                                'onde: na célula que começa com "import numpy as np", linha 2 (ao executar a célula')
    assert errors[1].startswith("SyntaxError: ")
    assert "na célula do exercício f, linha 2" in errors[1] and "erro de sintaxe" in errors[1]


# --- a broken exercise costs that exercise only -----------------------------------------------

def solution_cell(notebook, name):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"{name}_code")


def damaged(tmp_path, damage: str, name: str = "sigmoid"):
    """a1 with one exercise broken in one of the ways students break them."""
    notebook = build_source_notebook("a1_ativacoes")
    if damage == "deleted":
        notebook.cells.remove(solution_cell(notebook, name))
    elif damage == "metadata lost":
        del solution_cell(notebook, name).metadata["nbgrader"]
    elif damage == "renamed":
        notebook = with_cells(notebook, {name: f"def my_{name}(x):\n    return x"})
    elif damage == "assigned":
        notebook = with_cells(notebook, {name: f"def other(x):\n    return 1 / (1 + np.exp(-x))\n{name} = other"})
    path = tmp_path / damage.replace(" ", "_") / "a1_ativacoes.ipynb"
    path.parent.mkdir()
    nbformat.write(notebook, path)
    return path


@pytest.mark.parametrize("damage,needles", [
    ("deleted", ["foi apagada", "restaure-a", "baixe o notebook original"]),
    ("metadata lost", ["perdeu os metadados", "restaure-a"]),
    ("renamed", ["não define mais a função sigmoid", "mantenha o `def sigmoid(...)`"]),
    ("assigned", ["não define mais a função sigmoid", "mantenha o `def sigmoid(...)`"]),
])
def test_a_broken_exercise_is_listed_with_what_to_restore(tmp_path, damage, needles):
    submission = load_submission(damaged(tmp_path, damage))
    assert list(submission.broken) == ["sigmoid"]
    assert all(needle in submission.broken["sigmoid"] for needle in needles), submission.broken
    assert len(submission.labels) == len(submission.cells)
    if damage in ("renamed", "assigned"):  # the cell still runs: other exercises may use what it defines
        assert submission.labels[submission.cell_of["sigmoid"]] == "célula do exercício sigmoid"
    else:
        assert "sigmoid" not in submission.cell_of


def test_the_grading_cache_key_changes_with_the_broken_state(tmp_path):
    intact = tmp_path / "intact" / "a1_ativacoes.ipynb"
    intact.parent.mkdir()
    nbformat.write(build_source_notebook("a1_ativacoes"), intact)
    keys = {damage: grading_key(load_submission(damaged(tmp_path, damage))) for damage in
            ("deleted", "metadata lost", "renamed", "assigned")}
    # Deleted and stripped of its metadata are one broken state (same cells, same reason): one key.
    assert keys["deleted"] == keys["metadata lost"]
    assert len({keys["deleted"], keys["renamed"], keys["assigned"], grading_key(load_submission(intact))}) == 4


def test_only_the_broken_exercises_lose_points(tmp_path):
    notebook = build_source_notebook("a1_ativacoes")
    notebook.cells.remove(solution_cell(notebook, "sigmoid"))
    notebook = with_cells(notebook, {"softmax": "def my_softmax(z, axis=-1):\n    return z",
                                     "tanh": "def other(x):\n    return np.tanh(x)\ntanh = other"})
    path = tmp_path / "a1_ativacoes.ipynb"
    nbformat.write(notebook, path)
    report = grade_notebook(path)
    for grade_id, cell in report["cells"].items():
        if grade_id in ("sigmoid", "tanh", "softmax"):
            assert cell["score"] == 0
            assert all(not t["passed"] and t["message"].startswith(f"a célula do exercício {grade_id} ")
                       and not t["message"].startswith(RAISED) for t in cell["tests"]), cell["tests"][0]
        else:
            assert cell["score"] == cell["max_score"], (grade_id, cell["tests"])


LOOP_CONV_FORWARD = """def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                    Z[i, h, w, c] = conv_single_step(window, W[..., c], b[c])
    return Z, (A_prev, W, b, stride, pad)"""


def test_a_helper_error_reaches_the_student_through_the_hidden_suite(tmp_path):
    """The a2 suite's verdict on a conv_forward whose helper, conv_single_step, is wrong."""
    notebook = with_cells(build_source_notebook("a2_convolucao"), {
        "conv_single_step": "def conv_single_step(a_slice_prev, W, b):\n"
                            "    return float(np.sum(a_slice_prev * W + np.zeros(7)) + b)",
        "conv_forward": LOOP_CONV_FORWARD,
    })
    path = tmp_path / "a2_convolucao.ipynb"
    nbformat.write(notebook, path)
    tests = grade_notebook(path, only=["conv_forward"])["cells"]["conv_forward"]["tests"]
    messages = [t["message"] for t in tests if not t["passed"]]
    assert any(m.startswith(RAISED + "ValueError: operands could not be broadcast")
               and "em conv_single_step (na célula do exercício conv_single_step, linha 2), chamada por "
                   "conv_forward (na célula do exercício conv_forward, linha 13)" in m
               and "shapes incompatíveis" in m for m in messages), messages[:1]
