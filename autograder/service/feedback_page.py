"""The feedback page of a graded submission, as `nbgrader generate_feedback` would write it after
the deadline: the submitted notebook with Run-All's outputs (from the course's cache) and each
grade cell's verdict, through the course's feedback template and cleanup step
(``course.feedback``). Outputs the student's code produced are reduced to what shows safely
(``course.handed_in.shown_output``: no HTML or scripts), and the service sends the page with a
policy that runs no script."""
from __future__ import annotations

import nbformat

from autograder.course.feedback import TEMPLATE_BASEDIR, TEMPLATE_NAME, FeedbackCleanup
from autograder.course.handed_in import shown_output
from autograder.course.steps import verdict_outputs

# The page is static: styles inline, images embedded, nothing to load or run.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"


def feedback_html(notebook: bytes, assignment: str, report: dict, executed: list | None) -> str:
    """The page, in Portuguese. ``executed``: Run-All's cell results (None: code without outputs)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import ClearOutput

    nb, _ = ClearOutput().preprocess(nbformat.reads(notebook.decode("utf-8"), as_version=4), {})
    for cell, result in zip(nb.cells, executed or []):
        if cell.cell_type == "code":
            cell.outputs = [shown for o in result["outputs"] if (shown := shown_output(o)) is not None]
            cell.execution_count = result["execution_count"]
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade"):
            cell_report = report["cells"].get(meta.get("grade_id"))
            if cell_report is not None:  # as nbgrader's GetGrades leaves it for the template
                cell.outputs = verdict_outputs(cell_report)
                meta["score"], meta["points"] = cell_report["score"], cell_report["max_score"]
            else:
                meta["score"], meta["points"] = 0, meta.get("points", 0)
    exporter = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[TEMPLATE_BASEDIR])
    exporter.register_preprocessor(FeedbackCleanup(), enabled=True)
    exporter.register_preprocessor(CSSHTMLHeaderPreprocessor(), enabled=True)
    resources = {"nbgrader": {"notebook": assignment, "score": report["score"], "max_score": report["max_score"],
                              "late_penalty": 0}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body
