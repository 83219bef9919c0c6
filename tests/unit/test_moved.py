"""Courses made before autograder/ was split into rooms: their nbgrader_config.py (as `dlgrade init`
wrote it at 0.1.0, tests/support/courses/) still wires the trusted grader, the feedback step and
the Moodle collector, now found in the modules that hold them."""
import importlib
import shutil
import subprocess
import sys

from traitlets.config.loader import PyFileConfigLoader
from traitlets.utils.importstring import import_item

from autograder.course.feedback import TEMPLATE_BASEDIR, FeedbackCleanup
from autograder.course.handed_in import HandedInOutputs
from autograder.course.steps import SandboxedExecute, TrustedGrade
from autograder.instructor.lms import MoodleCollector
from autograder.moved import OLD_PATHS
from tests.support import REPO_ROOT

OLD_CONFIG = REPO_ROOT / "tests" / "support" / "courses" / "nbgrader_config_0.1.0.py"


def test_old_module_paths_give_the_current_objects():
    steps = importlib.import_module("autograder.nbgrader_steps")
    assert (steps.SandboxedExecute, steps.TrustedGrade, steps.HandedInOutputs) == (
        SandboxedExecute, TrustedGrade, HandedInOutputs)
    feedback = importlib.import_module("autograder.feedback")
    assert (feedback.FeedbackCleanup, feedback.TEMPLATE_BASEDIR) == (FeedbackCleanup, TEMPLATE_BASEDIR)
    assert import_item("autograder.lms.MoodleCollector") is MoodleCollector


def test_an_unknown_old_path_is_still_an_import_error():
    try:
        importlib.import_module("autograder.no_such_module")
    except ModuleNotFoundError:
        pass
    else:
        raise AssertionError("an unknown module imported")


def test_every_old_path_names_modules_that_exist():
    for new_modules in OLD_PATHS.values():
        for name in new_modules:
            importlib.import_module(name)


def test_a_0_1_0_config_wires_the_trusted_grader(tmp_path):
    shutil.copyfile(OLD_CONFIG, tmp_path / "nbgrader_config.py")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()
    steps = config.Autograde.autograde_preprocessors
    assert steps[:3] == [SandboxedExecute, TrustedGrade, HandedInOutputs]
    assert FeedbackCleanup in config.GenerateFeedback.preprocessors
    assert config.GenerateFeedback.HTMLExporter.extra_template_basedirs == [TEMPLATE_BASEDIR]
    assert (tmp_path / "nbgrader_config.py").read_text() == OLD_CONFIG.read_text()  # only read
    for folder in config.HTMLExporter.extra_template_basedirs + [TEMPLATE_BASEDIR]:
        assert (REPO_ROOT / folder).is_dir(), folder
    assert import_item(config.ZipCollectApp.collector_plugin) is MoodleCollector


def test_old_paths_in_a_fresh_interpreter():
    """As nbgrader loads the file: a new process whose first dlgrade import is an old path."""
    code = "from autograder.nbgrader_steps import TrustedGrade; print(TrustedGrade.__module__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "autograder.course.steps"
