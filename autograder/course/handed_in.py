"""What the instructor sees of a notebook graded partly by hand: the outputs the student handed
in beside the grading re-run's, each labelled (``HandedInOutputs``, a step of nbgrader's
autograde), filtered to what nbconvert's HTML shows safely (``shown_output``).
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.grading.run_all import strip_tf_noise
from autograder.sandbox.visibility import course_root

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
