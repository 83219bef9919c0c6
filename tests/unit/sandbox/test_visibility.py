"""One rule for what graded code cannot see: the notebook's Run-All (nbgrader's execute step)
and the hidden suite's calls get the same hidden paths and, in the sandbox, see the same."""
import nbformat
import pytest

from autograder.authoring.profiles import load_profile
from autograder.paths import ASSIGNMENTS_DIR, AUTOGRADER_DIR, SOLUTIONS_DIR, SUITES_DIR, package_folders
from autograder.sandbox.trusted_side import Sandbox, execute_notebook, namespaces_available
from autograder.sandbox.visibility import course_root, hidden_from_graded_code

PROBE = '''def what_i_see(paths):
    import os
    return [os.path.exists(p) and bool(os.listdir(p)) if os.path.isdir(p) else os.path.exists(p) for p in paths]
'''


@pytest.fixture
def course_folder(tmp_path):
    course = tmp_path / "curso"
    submission = course / "submitted" / "1001" / "a6_cnn_keras"
    submission.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    (course / "gradebook.db").write_text("notas")
    return course, submission


def test_the_rule_covers_answers_suites_course_and_dataset(course_folder):
    course, submission = course_folder
    assert course_root(submission) == course
    hidden = hidden_from_graded_code(load_profile("a6_cnn_keras"), submission)
    for path in (SOLUTIONS_DIR, AUTOGRADER_DIR, ASSIGNMENTS_DIR, submission, course, *package_folders("elpv_dataset")):
        assert path.resolve() in hidden, path
    # A numpy assignment's profile hides no dataset.
    assert not set(package_folders("elpv_dataset")) & set(hidden_from_graded_code(load_profile("a1_ativacoes"), submission))


@pytest.mark.slow
@pytest.mark.skipif(not namespaces_available(), reason="the weaker mode hides nothing (docs/grading.md)")
def test_run_all_and_graded_functions_see_the_same(course_folder):
    course, submission = course_folder
    profile = load_profile("a6_cnn_keras")
    hidden = hidden_from_graded_code(profile, submission)
    probes = [str(SOLUTIONS_DIR / "convolution.py"), str(SUITES_DIR / "conftest.py"), str(course / "gradebook.db"),
              *[str(p) for p in package_folders("elpv_dataset")], "/usr/bin"]

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE + f"print(what_i_see({probes!r}))")])
    ran = execute_notebook(notebook, submission, hidden, profile.limits(), cell_timeout=60)
    run_all_sees = "".join(o.get("text", "") for o in ran.cells[0].outputs).strip()

    with Sandbox([PROBE], hide=hidden, limits=profile.limits()) as sandbox:
        graded_sees = sandbox.call("what_i_see", probes)
    # Without the rule, the dataset (inside the kept Python environment) would be readable: the
    # probe can tell. (The rest lies outside the jail's allowlist anyway, in a checkout.)
    with Sandbox([PROBE], hide=[], limits=profile.limits()) as sandbox:
        assert sandbox.call("what_i_see", [str(package_folders("elpv_dataset")[0])]) == [True]

    assert run_all_sees == str(graded_sees) == str([False] * (len(probes) - 1) + [True])
