"""Run-All of a submission in the sandbox, as grading runs it: the executed cells' outputs as
plain data, beside the files handed in, under the assignment's limits, without TensorFlow's log
lines. Both `nbgrader autograde` (``SandboxedExecute``) and the grading task call it.
"""
from __future__ import annotations

import re
from pathlib import Path

from autograder.authoring.profiles import load_profile
from autograder.sandbox.trusted_side import Limits, execute_notebook
from autograder.sandbox.visibility import hidden_from_graded_code

# absl's prefix (I0000 00:00:1733000000.123456   4242 file.cc:12] ...), TensorFlow's
# (2026-12-01 01:02:03.456789: I tensorflow/core/util/port.cc:153] ...), the absl banner, and the
# second line of the CPU-instructions notice.
TF_NOISE = re.compile(
    r"^(?:[IWEF]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ \S+:\d+\]"
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] \S+:\d+\]"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.)"
)


def strip_tf_noise(outputs: list) -> list:
    """``outputs`` (a code cell's) without TensorFlow's and absl's log lines on stderr; a stderr
    output left empty is dropped. Everything else is kept as it was."""
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            text = output.get("text", "")
            text = "".join(line for line in text.splitlines(keepends=True) if not TF_NOISE.match(line))
            if not text.strip():
                continue
            output["text"] = text
        kept.append(output)
    return kept


def run_all(nb, assignment: str, folder: Path, settings: dict) -> list[dict]:
    """The executed notebook's cells as JSON-ready dicts (outputs, execution counts): Run-All in
    the sandbox beside the files of ``folder`` (the submission's), under ``settings``
    (``SandboxedExecute.settings``)."""
    hidden = hidden_from_graded_code(load_profile(assignment), folder)
    executed = execute_notebook(nb, folder, hidden, Limits(**settings["limits"]), settings["cell_timeout"])
    # TensorFlow's absl lines (oneDNN, CUDA) ignore TF_CPP_MIN_LOG_LEVEL: they leave the outputs here.
    return [{"outputs": strip_tf_noise(c.get("outputs", [])), "execution_count": c.get("execution_count")}
            for c in executed.cells]
