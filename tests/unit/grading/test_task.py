"""The task a grading machine runs: plain data in (a folder as bytes), plain data out."""
import nbformat
import pytest

from autograder.authoring.builder import write_source_folder
from autograder.course.steps import SandboxedExecute, TrustedGrade
from autograder.grading.task import folder_files, run_grading_task, write_folder

ASSIGNMENT = "a1_ativacoes"


def test_a_folder_travels_as_bytes_and_lands_the_same(tmp_path):
    source = tmp_path / "origem"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("olá", encoding="utf-8")
    (source / "sub" / "b.bin").write_bytes(bytes(range(256)))
    files = folder_files(source)
    assert files == {"a.txt": "olá".encode(), "sub/b.bin": bytes(range(256))}
    write_folder(files, tmp_path / "destino")
    assert folder_files(tmp_path / "destino") == files


@pytest.mark.parametrize("name", ["../fora.txt", "sub/../../fora.txt", "/etc/fora.txt"])
def test_a_file_outside_the_task_folder_is_refused(tmp_path, name):
    with pytest.raises(ValueError, match="outside"):
        write_folder({name: b"x"}, tmp_path / "destino")
    assert not (tmp_path / "fora.txt").exists()


@pytest.mark.slow
def test_the_reference_folder_is_graded_and_executed_as_data(tmp_path):
    notebook = write_source_folder(ASSIGNMENT, tmp_path / ASSIGNMENT)
    task = {"assignment": ASSIGNMENT, "files": folder_files(notebook.parent),
            "grade": TrustedGrade().limits(ASSIGNMENT), "run_all": SandboxedExecute().settings(ASSIGNMENT)}
    results = run_grading_task(task)
    assert results["grade"]["score"] == results["grade"]["max_score"] > 0
    assert len(results["execute"]) == len(nbformat.read(notebook, as_version=4).cells)
    outputs = [o for cell in results["execute"] for o in cell["outputs"]]
    assert outputs and not [o for o in outputs if o["output_type"] == "error"]
    assert any("✔" in o.get("text", "") for o in outputs)  # the visible checks ran
    only_grade = run_grading_task({**task, "run_all": None})
    assert set(only_grade) == {"grade"} and only_grade["grade"] == results["grade"]
