"""The two steps dlgrade adds to nbgrader's autograde pipeline (see course.create.config_text):

- ``SandboxedExecute`` replaces nbgrader's Execute: the notebook runs in a Jupyter kernel
  inside the sandbox (no network, no access to the course, the gradebook or the project), so
  the outputs in the feedback are real but student code cannot touch grades or answers.
- ``TrustedGrade`` runs right after it: the hidden suite grades the student's solution cells in
  the sandboxed worker, and every grade cell's outputs are replaced by the verdict: the
  Portuguese message of each test as text, the partial score as the cell's numeric result.
  nbgrader's SaveAutoGrades then stores that number, so its gradebook, formgrader, feedback and
  export all carry the trusted score. Whatever the notebook printed itself (TensorFlow's log
  lines on stderr included) never reaches a grade cell's output, so it can never zero a score.
"""
from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict, Float, Integer

from autograder.authoring.profiles import load_profile
from autograder.grading.failures import failure_groups, same_failure_note
from autograder.grading.result_cache import ResultCache, execution_key, grading_key
from autograder.grading.run_all import run_all
from autograder.sandbox.visibility import course_root


class SandboxedExecute(NbGraderPreprocessor):
    """Executes the notebook in the sandbox instead of in a kernel of the grading process.
    Limits come from the assignment's profile; these settings override them per course."""

    timeout = Integer(0, help="seconds per cell for every assignment (0: each assignment's profile)").tag(config=True)
    timeouts = Dict({}, help="seconds per cell by assignment id (overrides the profile)").tag(config=True)
    memory_limits = Dict({}, help="address-space bytes by assignment id (overrides the profile)").tag(config=True)

    def settings(self, assignment: str) -> dict:
        """The limits Run-All gets: the profile's, overridden by this course's configuration."""
        profile = load_profile(assignment)
        limits = profile.limits(memory_bytes=self.memory_limits.get(assignment))
        cell_timeout = self.timeouts.get(assignment) or self.timeout or profile.cell_timeout
        return {"limits": dataclasses.asdict(limits), "cell_timeout": cell_timeout}

    def run(self, nb, assignment: str, folder: Path):
        return run_all(nb, assignment, folder, self.settings(assignment))

    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        folder = Path(resources["metadata"]["path"])
        root = course_root(folder)
        cache = ResultCache(root, assignment) if root else None
        cache_key = execution_key(assignment, nb, folder, self.settings(assignment))
        ran = cache.wait(cache_key) if cache else None
        if ran is None:
            self.log.info("Executing %s in the sandbox", assignment)
            try:
                ran = self.run(nb, assignment, folder)
            except Exception as error:  # noqa: BLE001 - a broken run must not stop the batch
                self.log.error("Sandboxed execution of %s failed: %s", assignment, error)
                return nb, resources
            if cache:
                cache.put(cache_key, ran)
        for cell, result in zip(nb.cells, ran):
            if cell.cell_type == "code":
                cell.outputs = [nbformat.from_dict(o) for o in result["outputs"]]
                cell.execution_count = result["execution_count"]
        return nb, resources


def verdict_outputs(cell_report: dict) -> list:
    """A grade cell's outputs: the tests passed, then each distinct failure once (with its count of
    cases when several tests fail the same way), in Portuguese, and the score as its result."""
    def indented(message):
        return ("\n" + message).replace("\n", "\n    ") if message else ""

    tests = cell_report["tests"]
    lines = [f"✔ {test['name']}{indented(test['message'])}" for test in tests if test["passed"]]
    for group in failure_groups(tests):  # a failure repeated over many cases, stated once
        first = group[0]
        note = same_failure_note(group, len(tests))
        lines.append(f"✘ {first['name']}" + (f" ({note})" if note else "") + indented(first["message"]))
    passed = sum(t["passed"] for t in tests)
    def number(value):  # Portuguese decimal comma: 1,75
        return f"{value:g}".replace(".", ",")

    summary = (f"Testes escondidos: {passed} de {len(cell_report['tests'])} passaram; "
               f"nota {number(cell_report['score'])} de {number(cell_report['max_score'])}.\n")
    return [
        nbformat.v4.new_output("stream", name="stdout", text=summary + "\n".join(lines) + "\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": repr(float(cell_report["score"]))},
                               execution_count=None),
    ]


class TrustedGrade(NbGraderPreprocessor):
    """Replaces every grade cell's outputs with the trusted verdict of the hidden suite.
    The grading worker's limits come from the assignment's profile; these settings override
    them per course."""

    call_timeout = Float(0.0, help="seconds per call of a student's function for every assignment "
                         "(0: each assignment's profile)").tag(config=True)
    call_timeouts = Dict({}, help="seconds per call of a student's function by assignment id").tag(config=True)
    memory_limits = Dict({}, help="address-space bytes of the grading worker by assignment id").tag(config=True)
    cpu_limits = Dict({}, help="CPU seconds of the grading worker by assignment id").tag(config=True)

    def limits(self, assignment: str) -> dict:
        """The overrides grade_notebook takes (None: the profile's value)."""
        return {"call_timeout": self.call_timeouts.get(assignment) or self.call_timeout or None,
                "memory_bytes": self.memory_limits.get(assignment),
                "cpu_seconds": self.cpu_limits.get(assignment)}

    def preprocess(self, nb, resources):
        from autograder.grading.grader import grade_notebook
        from autograder.grading.submission import SubmissionError, load_submission

        assignment = resources["nbgrader"]["assignment"]
        folder = Path(resources["metadata"]["path"])  # the submission, with the files handed in
        root = course_root(folder)
        workdir = Path(tempfile.mkdtemp(prefix="dlgrade-grade-"))
        report, problem, cache_key = None, None, None
        cache = ResultCache(root, assignment) if root else None
        try:
            path = workdir / f"{assignment}.ipynb"
            nbformat.write(nb, path)
            try:
                cache_key = grading_key(load_submission(path, folder), self.limits(assignment))
                report = cache.wait(cache_key) if cache else None
                if report is None:
                    report = grade_notebook(path, attachments_dir=folder, **self.limits(assignment))
                    if cache:
                        cache.put(cache_key, report)
            except SubmissionError as error:
                problem = str(error)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        student = resources["nbgrader"].get("student")
        if cache and student and (report or problem):
            cache.record_verdict(student, cache_key if report else None, problem)

        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not meta.get("grade"):
                continue
            cell_report = report["cells"].get(meta["grade_id"]) if report else None
            if cell_report is None:
                reason = problem or "esta célula não tem testes escondidos"
                cell.outputs = [nbformat.v4.new_output(
                    "error", ename="NotaZero", evalue=reason, traceback=[f"Não foi possível corrigir: {reason}"])]
            else:
                cell.outputs = verdict_outputs(cell_report)
        if report:
            self.log.info("Trusted grade of %s: %s / %s", assignment, report["score"], report["max_score"])
        return nb, resources
