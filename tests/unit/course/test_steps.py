"""The autograde steps' configurables: each assignment's profile, overridden per course by
nbgrader_config.py (traitlets, documented by `nbgrader autograde --help-all`)."""
from traitlets.config import Config

from autograder.course.steps import SandboxedExecute, TrustedGrade


def test_trusted_grade_takes_the_profile_unless_the_course_overrides_it():
    assert TrustedGrade().limits("a2_convolucao") == {"call_timeout": None, "memory_bytes": None, "cpu_seconds": None}
    config = Config()
    config.TrustedGrade.call_timeouts = {"a2_convolucao": 40}
    config.TrustedGrade.memory_limits = {"a6_cnn_keras": 16 << 30}
    config.TrustedGrade.cpu_limits = {"a6_cnn_keras": 1800}
    step = TrustedGrade(config=config)
    assert step.limits("a2_convolucao")["call_timeout"] == 40
    assert step.limits("a6_cnn_keras") == {"call_timeout": None, "memory_bytes": 16 << 30, "cpu_seconds": 1800}
    config.TrustedGrade.call_timeout = 7.0  # every assignment, unless it has its own
    assert TrustedGrade(config=config).limits("a1_ativacoes")["call_timeout"] == 7.0


def test_every_limit_has_help_for_instructors():
    for step in (SandboxedExecute, TrustedGrade):
        for name, trait in step.class_traits(config=True).items():
            if name in ("timeout", "timeouts", "memory_limits", "call_timeout", "call_timeouts", "cpu_limits"):
                assert trait.help, (step.__name__, name)
