"""The two steps dlgrade adds to nbgrader's autograde pipeline (see course.config_text):

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
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict, Float, Integer

from autograder.feedback import strip_tf_noise
from autograder.profiles import load_profile
from autograder.result_cache import ResultCache, execution_key, grading_key
from autograder.sandbox import Limits, execute_notebook
from autograder.visibility import course_root, hidden_from_graded_code


def run_all(nb, assignment: str, folder: Path, settings: dict) -> list[dict]:
    """The executed notebook's cells as JSON-ready dicts (outputs, execution counts): Run-All in
    the sandbox beside the files of ``folder`` (the submission's), under ``settings``
    (``SandboxedExecute.settings``)."""
    hidden = hidden_from_graded_code(load_profile(assignment), folder)
    executed = execute_notebook(nb, folder, hidden, Limits(**settings["limits"]), settings["cell_timeout"])
    # TensorFlow's absl lines (oneDNN, CUDA) ignore TF_CPP_MIN_LOG_LEVEL: they leave the outputs here.
    return [{"outputs": strip_tf_noise(c.get("outputs", [])), "execution_count": c.get("execution_count")}
            for c in executed.cells]


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
    """A grade cell's outputs: each test's verdict (Portuguese) and the score as its result."""
    lines = []
    for test in cell_report["tests"]:
        mark = "✔" if test["passed"] else "✘"
        message = ("\n" + test["message"]).replace("\n", "\n    ") if test["message"] else ""
        lines.append(f"{mark} {test['name']}{message}")
    passed = sum(t["passed"] for t in cell_report["tests"])
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
        from autograder.grader import grade_notebook
        from autograder.submission import SubmissionError, load_submission

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


HANDED_IN = "Saída entregue pelo aluno"
RERUN = "Saída da execução na correção"
SHOWN_TYPES = ("text/plain", "image/png", "image/jpeg")  # escaped or checked by nbconvert's HTML
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")


def has_hand_graded_cells(nb) -> bool:
    """Whether the instructor grades part of this notebook by hand (a written answer or a task)."""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("task") or (meta.get("grade") and meta.get("solution")):
            return True
    return False


def shown_output(output) -> dict | None:
    """An output a student wrote (or their code printed) as it may be shown on the instructor's
    formgrader page: text, tracebacks (nbconvert escapes both) and base64 PNG/JPEG images, with no
    metadata (its image sizes go into HTML attributes unescaped). HTML, JavaScript, SVG and
    markdown, which would run or render in the instructor's authenticated Jupyter page, are dropped
    (a rich output's text/plain stays). None when nothing can be shown."""
    kind = output.get("output_type")
    if kind == "stream":
        text = output.get("text", "")
        text = "".join(text) if isinstance(text, list) else str(text)
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return nbformat.v4.new_output("stream", name=name, text=text)
    if kind == "error":
        traceback = output.get("traceback") or []
        return nbformat.v4.new_output("error", ename=str(output.get("ename", "")), evalue=str(output.get("evalue", "")),
                                      traceback=[str(line) for line in traceback] if isinstance(traceback, list) else [])
    if kind not in ("execute_result", "display_data"):
        return None
    data = {}
    for mime in SHOWN_TYPES:
        value = output.get("data", {}).get(mime)
        value = "".join(value) if isinstance(value, list) else value
        if isinstance(value, str) and (mime == "text/plain" or BASE64.fullmatch(value)):
            data[mime] = value
    if not data:
        return None
    count = output.get("execution_count")
    if kind == "execute_result":
        return nbformat.v4.new_output(kind, data=data, execution_count=count if type(count) is int else None)
    return nbformat.v4.new_output(kind, data=data)


def origin_label(text: str) -> dict:
    """A small banner above outputs that says where they come from."""
    html = (f'<div class="dlgrade-origem" style="font-size:85%;font-weight:bold;color:#555;'
            f'border-bottom:1px solid #bbb;margin:2px 0">{text}</div>')
    return nbformat.v4.new_output("display_data", data={"text/plain": f"[{text}]", "text/html": html})


class HandedInOutputs(NbGraderPreprocessor):
    """In a notebook graded partly by hand (a written answer: projeto_final, a6), shows the
    instructor what the student handed in: every code cell other than a grade cell gets the
    outputs of the submitted notebook (read from nbgrader's submitted/ folder, never modified),
    labelled "Saída entregue pelo aluno", followed by the sandboxed run's, labelled "Saída da
    execução na correção" (one block when they are the same). Grade cells keep the trusted
    verdict: scores come from those cells only (nbgrader's SaveAutoGrades reads nothing else), so
    nothing a student wrote in an output can change one. Outputs shown pass ``shown_output``."""

    def submitted_notebook(self, resources):
        from nbgrader.coursedir import CourseDirectory

        info = resources["nbgrader"]
        root = course_root(Path(resources["metadata"]["path"]))
        coursedir = CourseDirectory(config=self.config, **({"root": str(root)} if root else {}))
        folder = Path(coursedir.format_path(coursedir.submitted_directory, info["student"], info["assignment"]))
        try:
            return nbformat.read(folder / f"{info['notebook']}.ipynb", as_version=4)
        except Exception as error:  # noqa: BLE001 - not readable: only the re-run is shown
            self.log.warning("Submitted outputs of %s not shown: %s", info.get("student"), error)
            return None

    def preprocess(self, nb, resources):
        if not has_hand_graded_cells(nb):
            return nb, resources
        submitted = self.submitted_notebook(resources)
        if submitted is None:
            for cell in nb.cells:
                if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade") and cell.outputs:
                    cell.outputs = [origin_label(RERUN), *filter(None, map(shown_output, cell.outputs))]
            return nb, resources
        handed_in = {}
        by_id = {c.get("id"): c for c in submitted.cells if c.get("id")}
        same_length = len(submitted.cells) == len(nb.cells)
        for index, cell in enumerate(nb.cells):
            match = by_id.get(cell.get("id")) or (submitted.cells[index] if same_length else None)
            if match is not None and match.cell_type == "code":
                handed_in[index] = strip_tf_noise(match.get("outputs", []))  # as the re-run's
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("grade"):
                continue
            student = [o for o in map(shown_output, handed_in.get(index, [])) if o is not None]
            rerun = [o for o in map(shown_output, cell.get("outputs", [])) if o is not None]
            if not student and not rerun:
                cell.outputs = []
            elif student == rerun:
                cell.outputs = [origin_label(f"{HANDED_IN} (igual à da execução na correção)"), *student]
            else:
                cell.outputs = [origin_label(HANDED_IN + ("" if student else ": nenhuma")), *student,
                                origin_label(RERUN + ("" if rerun else ": nenhuma")), *rerun]
        return nb, resources
