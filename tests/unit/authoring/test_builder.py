"""The builder on small authoring files written by the test: exercises, written answers graded
by hand, and the mistakes an author can make (each a BuildError that says what is wrong)."""
import pytest

from autograder.authoring.builder import BuildError, build_source_notebook, exercises

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
    from autograder.authoring.builder import exercise_functions

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


# The environment cell, first in every notebook: the helper kit and the library versions.

def test_every_notebook_starts_with_the_environment_cell(tmp_path):
    import ast

    import numpy as np

    root = authored(tmp_path, '# %%\nimport numpy as np\n\n# %% exercise="sigmoid" points=2\n')
    (root / "t1_teste" / "profile.toml").write_text("keras = true\n", encoding="utf-8")
    first = build_source_notebook("t1_teste", root, helpers_url="/content/drive/MyDrive/dl2/kit.whl").cells[0]
    assert first.cell_type == "code" and "nbgrader" not in first.metadata
    ast.parse(first.source)
    assert "HELPERS_URL = '/content/drive/MyDrive/dl2/kit.whl'" in first.source
    assert f"'numpy': '{np.__version__}'" in first.source and "'tensorflow'" in first.source
    assert first.source.rstrip().endswith("compare_versions(COURSE_VERSIONS)")
    # Not a setup the student must edit, and nothing graded: the exercises are unchanged.
    assert exercises(build_source_notebook("t1_teste", root)) == {"sigmoid": 2.0}


def test_a_numpy_notebook_compares_numpy_only():
    from autograder.authoring.helpers_kit import environment_cell

    source = environment_cell(keras=False, versions={"numpy": "2.4.6"})
    assert "COURSE_VERSIONS = {'numpy': '2.4.6'}" in source and "HELPERS_URL = ''" in source


def test_the_kit_wheel_is_reproducible_and_its_record_is_right(tmp_path):
    import base64
    import csv
    import hashlib
    import io
    import zipfile

    from autograder.authoring.helpers_kit import write_helpers_wheel

    first = write_helpers_wheel(tmp_path / "a")
    assert first.read_bytes() == write_helpers_wheel(tmp_path / "b").read_bytes()
    archive = zipfile.ZipFile(first)
    (record_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/RECORD")]
    rows = list(csv.reader(io.StringIO(archive.read(record_name).decode())))
    assert {row[0] for row in rows} == set(archive.namelist())
    for name, digest, size in rows:
        if name == record_name:
            continue
        data = archive.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert (digest, int(size)) == (f"sha256={expected}", len(data)), name
    metadata = archive.read(record_name.replace("RECORD", "METADATA")).decode()
    assert "Name: dlhelpers" in metadata and "Tag: py3-none-any" in archive.read(
        record_name.replace("RECORD", "WHEEL")).decode()


def test_versions_that_match_say_so_in_one_line():
    from dlhelpers.environment import version_report

    ok, message = version_report({"numpy": "2.4.6"}, {"numpy": "2.4.1"})
    assert ok and message == "✔ Ambiente pronto: numpy 2.4.1 (as mesmas versões da correção)."


def test_a_different_minor_version_explains_what_to_do():
    from dlhelpers.environment import version_report

    ok, message = version_report({"numpy": "2.4.6", "tensorflow": "2.21.0", "keras": "3.15.1"},
                                 {"numpy": "2.0.2", "tensorflow": None, "keras": "3.15.0"})
    assert not ok
    assert "o curso corrige com numpy 2.4; você tem 2.0.2." in message
    assert "TensorFlow não está instalado (o curso corrige com TensorFlow 2.21)" in message
    assert '%pip install -q "numpy==2.4.*" "tensorflow==2.21.*"' in message
    assert 'pip install -U "numpy==2.4.*" "tensorflow==2.21.*"' in message
    assert "keras==" not in message  # Keras 3.15 matches
    assert "Reiniciar sessão" in message and "float() de um array" in message


def test_compare_versions_prints_the_report(capsys):
    import numpy as np
    from dlhelpers.environment import compare_versions

    assert compare_versions({"numpy": np.__version__})
    assert "✔ Ambiente pronto" in capsys.readouterr().out
