"""What the grading service allows per assignment: the profile's keys (``deadline``,
``submissions_per_day``, ``feedback_before_deadline``, ``counting``), each overridden per course
in nbgrader_config.py::

    c.GradingService.deadlines = {"a2_convolucao": "2026-12-20T23:59:00-03:00"}
    c.GradingService.submissions_per_day = {"a2_convolucao": 5}
    c.GradingService.feedback_before_deadline = {"a2_convolucao": "score"}
    c.GradingService.counting = {"a2_convolucao": "best"}
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from traitlets import Dict, Float, Unicode
from traitlets.config import Configurable

from autograder.authoring.profiles import CHOICES, deadline_of, load_profile

WINDOW = timedelta(hours=24)  # submissions_per_day counts a rolling day


class PolicyError(Exception):
    """A course override that cannot be used; the message names the setting."""


class GradingService(Configurable):
    """The course's overrides of the profiles' service keys, and the service's own settings."""

    deadlines = Dict({}, help="ISO 8601 deadline (with a time zone) by assignment id").tag(config=True)
    submissions_per_day = Dict({}, help="submissions per student in a rolling 24 h, by assignment id").tag(config=True)
    feedback_before_deadline = Dict({}, help='"score" or "tests", by assignment id').tag(config=True)
    counting = Dict({}, help='"last" or "best": the submission `dlgrade collect` hands in, by assignment id'
                    ).tag(config=True)
    max_upload_mib = Float(25.0, help="the largest request (notebook and handed-in files) in MiB").tag(config=True)
    admin_token = Unicode("", help="a secret that opens /admin (besides the Hub's admins with --hub)").tag(config=True)
    hub_admin_group = Unicode("instructors", help="with --hub, the Hub group whose users (besides the Hub's admins) "
                              "open /admin").tag(config=True)


@dataclass(frozen=True)
class Policy:
    assignment: str
    deadline: datetime | None
    submissions_per_day: int
    feedback_before_deadline: str  # "score" | "tests"
    counting: str                  # "last" | "best"

    def closed(self, now: datetime) -> bool:
        return self.deadline is not None and now > self.deadline


def policy_for(settings: GradingService, assignment: str) -> Policy:
    profile = load_profile(assignment)
    deadline = settings.deadlines.get(assignment, profile.deadline)
    per_day = settings.submissions_per_day.get(assignment, profile.submissions_per_day)
    feedback = settings.feedback_before_deadline.get(assignment, profile.feedback_before_deadline)
    counting = settings.counting.get(assignment, profile.counting)
    for name, value in (("feedback_before_deadline", feedback), ("counting", counting)):
        if value not in CHOICES[name]:
            raise PolicyError(f"GradingService.{name}[{assignment!r}] must be one of {', '.join(CHOICES[name])}")
    if isinstance(per_day, bool) or not isinstance(per_day, int) or per_day < 1:
        raise PolicyError(f"GradingService.submissions_per_day[{assignment!r}] must be a whole number from 1")
    try:
        moment = deadline_of(deadline) if deadline else None
    except (TypeError, ValueError) as error:
        raise PolicyError(f"GradingService.deadlines[{assignment!r}]: {error}") from None
    return Policy(assignment, moment, per_day, feedback, counting)
