"""a7_autoencoder end to end: its visible checks catch wrong answers, the reference notebook runs
in the sandbox and gets full marks, the same twice, the release gets zero, an honest alternative
gets full marks, a flawed submission loses only what it should, and the notebook's Run-All
prints the numbers its prose states."""
import functools
import re
import time

import nbformat
import numpy as np
import pytest
from dlhelpers import checks
from nbclient import NotebookClient

from autograder.authoring.builder import reference_functions
from autograder.authoring.profiles import load_profile
from autograder.grading.grader import grade_notebook
from autograder.grading.submission import with_cells
from autograder.sandbox.trusted_side import execute_notebook, namespaces_available
from autograder.sandbox.visibility import hidden_from_graded_code
from tests.support import check_report, failing_tests

pytestmark = pytest.mark.slow

ASSIGNMENT = "a7_autoencoder"
REFERENCES = reference_functions({"solutions.autoencoder"})


def notebook_path(course, kind):
    return course / kind / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def _with_skip(model, input_shape, code_size):
    """The reference model plus a path from the input straight to the output."""
    import keras

    outputs = keras.layers.Add()([model.output, model.input])
    wrong = keras.Model(model.input, outputs)
    wrong.compile(optimizer="adam", loss="mse")
    return wrong


def _as_classifier(model, input_shape, code_size):
    import keras

    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model if isinstance(model, keras.Model) else None


@pytest.mark.parametrize("name,replace,message", [
    ("build_autoencoder", _with_skip, "parte só do código"),
    ("build_autoencoder", _as_classifier, "não mede reconstrução"),
    ("train_autoencoder", lambda history, *args: None, "History"),
    ("reconstruction_errors", lambda errors, X, X_rec: errors * X[0].size, "diferente"),
    ("anomaly_threshold", lambda threshold, errors, rate=0.05: float(np.quantile(errors, rate)), "valor diferente"),
])
def test_visible_checks_catch_wrong_answers(name, replace, message):
    reference = REFERENCES[name]

    @functools.wraps(reference)
    def wrong(*args, **kwargs):
        return replace(reference(*args, **kwargs), *args, **kwargs)

    namespace = dict(REFERENCES, **{name: wrong})
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_exercise(wrong, namespace=namespace)


def test_reference_notebook_gets_full_marks_and_the_same_grade_twice(course, record_property):
    """What `nbgrader autograde` does to one a7 notebook: Run-All in the sandbox in grading mode
    (ELPV hidden from it), then the hidden suite, twice: the same grade both times."""
    path = notebook_path(course, "source")
    profile = load_profile(ASSIGNMENT)
    start = time.perf_counter()
    executed = execute_notebook(nbformat.read(path, as_version=4), path.parent,
                                hidden_from_graded_code(profile, path.parent), profile.limits(),
                                cell_timeout=profile.cell_timeout)
    record_property("execute_seconds", round(time.perf_counter() - start, 1))
    errors = {i: o for i, c in enumerate(executed.cells) for o in c.get("outputs", []) if o.get("output_type") == "error"}
    if namespaces_available():
        data_cell = min(errors)  # the first cell that reads ELPV, which the notebook cannot see here
        assert "load_elpv" in executed.cells[data_cell].source, errors[data_cell]
    else:
        assert not errors, [f"{e['ename']}: {e['evalue']}" for e in errors.values()]

    start = time.perf_counter()
    first = grade_notebook(path)
    record_property("grade_seconds", round(time.perf_counter() - start, 1))
    second = grade_notebook(path)
    assert first["score"] == first["max_score"] == 11, failing_tests(first, 2)
    assert second == first


def test_release_notebook_gets_zero(course):
    report = check_report(notebook_path(course, "release"))
    assert report["assignment"] == ASSIGNMENT and report["max_score"] == 11 and report["score"] == 0
    for cell in report["cells"].values():
        assert all(not t["passed"] and t["message"] for t in cell["tests"])


def test_an_honest_alternative_gets_full_marks(course, tmp_path):
    from tests.support.samples import HONEST_A7

    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(with_cells(nbformat.read(notebook_path(course, "source"), as_version=4), HONEST_A7), path)
    report = grade_notebook(path)
    assert report["score"] == report["max_score"], failing_tests(report, 2)


NO_TRAINING = '''def train_autoencoder(model, X_train, X_val=None, epochs=30, batch_size=32, seed=0, verbose=0):
    return None  # esqueceu de treinar
'''

WRONG_TARGET = '''def train_autoencoder(model, X_train, X_val=None, epochs=30, batch_size=32, seed=0, verbose=0):
    zeros = np.zeros_like(X_train)  # alvo errado: o alvo deveria ser a própria imagem
    return model.fit(X_train, zeros, epochs=epochs, batch_size=batch_size, verbose=verbose)
'''

SKIPS_THE_CODE = '''def build_autoencoder(input_shape, code_size):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    code = layers.Dense(code_size, name="code")(layers.Flatten()(x))
    back = layers.Reshape(input_shape)(layers.Dense(int(np.prod(input_shape)))(code))
    outputs = layers.Conv2D(input_shape[-1], 3, padding="same")(layers.Concatenate()([back, x]))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model
'''


@pytest.mark.parametrize("replacements,losing", [
    ({"train_autoencoder": NO_TRAINING}, "train_autoencoder"),
    ({"train_autoencoder": WRONG_TARGET}, "train_autoencoder"),
    ({"build_autoencoder": SKIPS_THE_CODE}, "build_autoencoder"),
], ids=["does not train", "trains towards zeros", "a path around the code"])
def test_a_flawed_submission_loses_only_its_cells(course, tmp_path, replacements, losing):
    notebook = with_cells(nbformat.read(notebook_path(course, "source"), as_version=4), replacements)
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(notebook, path)
    cells = grade_notebook(path)["cells"]
    assert cells[losing]["score"] < cells[losing]["max_score"]
    untouched = set(cells) - {losing, "train_autoencoder"}  # a model that skips the code still trains
    assert all(cells[g]["score"] == cells[g]["max_score"] for g in untouched), cells
    if losing == "train_autoencoder":
        assert cells["build_autoencoder"]["score"] == cells["build_autoencoder"]["max_score"]
        assert cells["train_autoencoder"]["score"] == 0, cells["train_autoencoder"]


def _printed(notebook) -> str:
    return "\n".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", [])
                     if o.get("output_type") == "stream")


def test_run_all_prints_the_figures_the_prose_states(course, record_property):
    """The full (not grading-mode) Run-All of the reference notebook, as a student runs it: no
    error, and the AUCs the last section's prose quotes (0,71 raw, 0,88 mono, 0,74 poly, 0,80
    relative to the cell type) within a rounding of what it prints."""
    path = notebook_path(course, "source")
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    record_property("run_all_seconds", round(time.perf_counter() - start, 1))
    text = _printed(notebook)
    figures = {name: float(re.search(pattern, text).group(1)) for name, pattern in {
        "raw": r"AUC no teste: ([\d.]+)", "mono": r"só células mono: AUC ([\d.]+)",
        "poly": r"só células poly: AUC ([\d.]+)", "relative": r"AUC com o erro relativo ao tipo: ([\d.]+)"}.items()}
    stated = {"raw": 0.71, "mono": 0.88, "poly": 0.74, "relative": 0.80}
    for name, value in stated.items():
        assert abs(figures[name] - value) <= 0.02, (name, figures)
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for value in stated.values():
        assert f"**{value:.2f}**".replace(".", ",") in prose
