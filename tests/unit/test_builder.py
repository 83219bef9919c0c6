"""The builder on small authoring files written by the test: exercises, written answers graded
by hand, and the mistakes an author can make (each a BuildError that says what is wrong)."""
import pytest

from autograder.builder import BuildError, build_source_notebook, exercises

HEADER = "# ---\n# jupyter:\n#   kernelspec:\n#     display_name: Python 3\n#     language: python\n#     name: python3\n# ---\n\n"


def authored(tmp_path, body, name="t1_teste"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / f"{name}.py").write_text(HEADER + body, encoding="utf-8")
    return tmp_path


def test_exercise_and_written_answer_cells(tmp_path):
    root = authored(tmp_path, '# %%\nimport numpy as np\n\n# %% exercise="sigmoid" points=2\n\n'
                              '# %% [markdown]\n# Explique.\n\n'
                              '# %% [markdown] answer="discussao" points=4\n# ### BEGIN SOLUTION\n# Resposta.\n# ### END SOLUTION\n')
    nb = build_source_notebook("t1_teste", root)
    assert exercises(nb) == {"sigmoid": 2.0}
    answer = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "discussao"][0]
    meta = answer.metadata["nbgrader"]
    assert answer.cell_type == "markdown" and meta["grade"] and meta["solution"] and meta["points"] == 4.0
    assert not meta["locked"]
    prompt = [c for c in nb.cells if c.cell_type == "markdown" and "Explique" in c.source][0]
    assert prompt.metadata["nbgrader"]["locked"]


@pytest.mark.parametrize("body,message", [
    ('# %% exercise="no_such_function" points=1\n', "has no reference function"),
    ('# %% exercise="sigmoid" points=1\nprint(1)\n', "must be empty"),
    ('# %% exercise="sigmoid"\n\n# %% exercise="sigmoid"\n', "appears twice"),
    ("# %%\nprint(1)\n", "no exercise cell"),
    ('# %%\nimport numpy as np\n\n# %% exercise="conv_forward" points=1\n', "not an exercise defined earlier"),
])
def test_authoring_mistakes_are_named(tmp_path, body, message):
    with pytest.raises(BuildError, match=message):
        build_source_notebook("t1_teste", authored(tmp_path, body))


def test_autograded_cell_keeps_its_code_and_is_locked(tmp_path):
    from autograder.builder import exercise_functions

    root = authored(tmp_path, '# %%\nimport numpy as np\n\n# %% exercise="sigmoid" points=2\n\n'
                              '# %% autograded="arquivo_salvo" points=3\nprint("confere o arquivo")\n')
    nb = build_source_notebook("t1_teste", root)
    assert exercises(nb) == {"sigmoid": 2.0, "arquivo_salvo": 3.0}
    assert exercise_functions(nb) == {"sigmoid"}
    cell = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "arquivo_salvo"][0]
    assert cell.source == 'print("confere o arquivo")'
    assert cell.metadata["nbgrader"]["locked"] and not cell.metadata["nbgrader"]["solution"]


@pytest.mark.parametrize("body,message", [
    ('# %% exercise="sigmoid"\n\n# %% autograded="sigmoid" points=1\nprint(1)\n', "clashes"),
    ('# %% exercise="sigmoid"\n\n# %% autograded="arquivo" points=1\n', "has no code"),
])
def test_autograded_cell_mistakes_are_named(tmp_path, body, message):
    with pytest.raises(BuildError, match=message):
        build_source_notebook("t1_teste", authored(tmp_path, body))
