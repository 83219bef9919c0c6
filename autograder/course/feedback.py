"""The feedback students read (`nbgrader generate_feedback` in a course made by `dlgrade init`).

The course's nbgrader_config.py (``course.create.feedback_text``) points nbconvert's HTML exporter at
this package's template (``templates/feedback``: Portuguese labels, the score summary
first, each grade cell named by its exercise with its verdict above the code, wrapping lines,
no CDN) and adds ``FeedbackCleanup`` to the export, which makes one self-contained file that
renders offline and stays small:

- TensorFlow's and absl's log lines (oneDNN, CUDA, ``absl::InitializeLog``) leave the stderr
  outputs (``strip_tf_noise``; the sandbox also runs kernels with ``TF_CPP_MIN_LOG_LEVEL=3``);
- ``$...$`` and ``$$...$$`` in markdown become MathML at generation time (``latex2mathml``),
  which browsers render natively, without MathJax and without internet;
- embedded PNG and JPEG outputs are re-encoded at most ``MAX_IMAGE_WIDTH`` pixels wide, as a
  palette PNG or a JPEG, whichever is smaller (``shrink_image``), narrower and coarser when the
  notebook's images together exceed ``IMAGE_BUDGET`` (``shrink_images``);
- each exercise's grade cell moves above the student's solution cell (``verdict_first``);
- sound and video players (their data embedded) become a line that points to the notebook;
- where the formgrader shows the student's handed-in outputs next to the grading re-run's, the
  student gets back only their own (``own_outputs_only``).

Nothing here changes a grade: the scores were read from the gradebook (nbgrader's GetGrades)
before this step runs.
"""
from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

from autograder.course.handed_in import HANDED_IN, RERUN
from autograder.grading.run_all import strip_tf_noise

TEMPLATE_BASEDIR = str(Path(__file__).resolve().parent / "templates")
TEMPLATE_NAME = "feedback"  # nbgrader's name: GenerateFeedback and the formgrader ask for it
MAX_IMAGE_WIDTH = 800
# (width, JPEG quality) tried in turn until the notebook's images fit in IMAGE_BUDGET bytes
# (base64 adds a third): a file stays under 500 KB with the text of a typical notebook.
SHRINK_STEPS = ((800, 80), (700, 75), (600, 70), (500, 65), (400, 60))
IMAGE_BUDGET = 160_000  # 213 KB in base64; a2's feedback, the largest, has about 200 KB of text and code
MEDIA_PLAYER = re.compile(r"<(audio|video)\b", re.IGNORECASE)

def shrink_image(data: bytes, max_width: int = MAX_IMAGE_WIDTH, quality: int = 80) -> tuple[str, bytes]:
    """(mime type, bytes) of the image at most ``max_width`` pixels wide: the smallest of the
    original, a palette PNG (256 colors: plots) and a JPEG (photos), on a white background."""
    from PIL import Image

    original_kind = "image/jpeg" if data[:3] == b"\xff\xd8\xff" else "image/png"
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.width > max_width:
            image = image.resize((max_width, max(1, round(image.height * max_width / image.width))),
                                 Image.Resampling.LANCZOS)
            resized = True
        else:
            resized = False
        if image.mode in ("RGBA", "LA", "P", "PA"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
            rgb = background
        else:
            rgb = image.convert("RGB")
    candidates = [] if resized else [(original_kind, data)]
    palette = io.BytesIO()
    rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(palette, "PNG", optimize=True)
    candidates.append(("image/png", palette.getvalue()))
    jpeg = io.BytesIO()
    rgb.save(jpeg, "JPEG", quality=quality, optimize=True)
    candidates.append(("image/jpeg", jpeg.getvalue()))
    return min(candidates, key=lambda candidate: len(candidate[1]))


def shrink_images(outputs: list, budget: int = IMAGE_BUDGET, max_width: int = MAX_IMAGE_WIDTH) -> int:
    """Re-encodes, in place, the PNG and JPEG images of ``outputs`` (every output of the notebook:
    ``shrink_image``), at the largest of ``SHRINK_STEPS`` (width, JPEG quality; never wider than
    ``max_width``) whose images fit in ``budget`` bytes together, else at the smallest. An image
    that cannot be read is left as it was. Returns the images' bytes."""
    images = []
    for output in outputs:
        data = output.get("data") or {}
        kind = next((k for k in ("image/png", "image/jpeg") if k in data), None)
        if kind:
            try:
                images.append((output, kind, base64.b64decode(data[kind])))
            except ValueError:
                continue
    if not images:
        return 0
    steps = [(min(width, max_width), quality) for width, quality in SHRINK_STEPS]
    for width, quality in steps:
        shrunk = []
        for output, kind, raw in images:
            try:
                shrunk.append(shrink_image(raw, width, quality))
            except Exception:  # noqa: BLE001 - a broken image stays as the notebook had it
                shrunk.append((kind, raw))
        total = sum(len(new_bytes) for _, new_bytes in shrunk)
        if total <= budget:
            break
    for (output, kind, _), (new_kind, new_bytes) in zip(images, shrunk):
        del output["data"][kind]
        output["data"][new_kind] = base64.b64encode(new_bytes).decode("ascii")
        metadata = output.get("metadata", {})
        if kind in metadata and new_kind != kind:
            metadata[new_kind] = metadata.pop(kind)
    return total


# Code (fenced blocks, inline spans) keeps its dollars; math is $$...$$ or $...$ on one line.
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?![\w$])", re.DOTALL)
MATRIX_FENCES = re.compile(r"<mo>&#x000(?:5B|28|7C|7B);</mo><mtable>(?:(?!<mtable>).)*?</mtable><mo>&#x000(?:5D|29|7C|7D);</mo>")
MARKDOWN_SENSITIVE = {"*": "&#42;", "_": "&#95;", "`": "&#96;", "\\": "&#92;", "[": "&#91;", "]": "&#93;",
                      "~": "&#126;", "$": "&#36;"}


def latex_to_mathml(tex: str, display: bool) -> str:
    """One line of MathML for ``tex``, safe inside markdown (no character markdown would read);
    the TeX itself, escaped, when latex2mathml cannot convert it."""
    from html import escape

    from latex2mathml.converter import convert

    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula it cannot read stays readable as TeX
        delimiter = "$$" if display else "$"
        return "<code>" + "".join(MARKDOWN_SENSITIVE.get(c, c) for c in escape(delimiter + tex + delimiter)) + "</code>"
    # A matrix's brackets in an <mrow> of their own: prefix and postfix fences, which stretch.
    mathml = MATRIX_FENCES.sub(r"<mrow>\g<0></mrow>", mathml)
    text_between_tags = re.compile(r">([^<]+)<")
    return text_between_tags.sub(lambda m: ">" + "".join(MARKDOWN_SENSITIVE.get(c, c) for c in m.group(1)) + "<",
                                 mathml.replace("\n", " "))


def math_to_mathml(markdown: str) -> str:
    """``markdown`` with its ``$$...$$`` and ``$...$`` formulas as MathML (code untouched)."""
    parts = CODE.split(markdown)
    for index in range(0, len(parts), 2):  # even parts are prose, odd ones code
        parts[index] = MATH.sub(
            lambda m: latex_to_mathml(m.group(1), True) if m.group(1) is not None else latex_to_mathml(m.group(2), False),
            parts[index])
    return "".join(parts)


def verdict_first(cells: list) -> list:
    """The cells with each exercise's grade cell (grade_id ``f``) moved above the student's
    solution cell right before it (grade_id ``f_code``): the verdict, then the code."""
    ordered = list(cells)
    for index in range(1, len(ordered)):
        grade = ordered[index].get("metadata", {}).get("nbgrader", {})
        solution = ordered[index - 1].get("metadata", {}).get("nbgrader", {})
        if (grade.get("grade") and not grade.get("solution") and solution.get("solution")
                and solution.get("grade_id") == f"{grade.get('grade_id')}_code"):
            ordered[index - 1], ordered[index] = ordered[index], ordered[index - 1]
    return ordered


def without_media(outputs: list) -> list:
    """``outputs`` with each embedded sound or video player (``IPython.display.Audio``: the whole
    WAV in base64, tens of KB) replaced by a line saying where to hear it."""
    kept = []
    for output in outputs:
        html = (output.get("data") or {}).get("text/html", "")
        html = "".join(html) if isinstance(html, list) else str(html)
        if MEDIA_PLAYER.search(html):
            output = nbformat.v4.new_output(
                "stream", name="stdout", text="(áudio ou vídeo: ouça ou veja no seu notebook; a devolutiva não o inclui)\n")
        kept.append(output)
    return kept


def own_outputs_only(outputs: list) -> list:
    """A code cell's outputs as the student gets them back: where the formgrader shows the
    handed-in outputs and then the grading re-run's (``HandedInOutputs``), only the student's
    own block stays; the re-run in grading mode (a small budget, data hidden) would only confuse."""
    labels = [output.get("data", {}).get("text/plain") for output in outputs]
    if f"[{HANDED_IN}]" in labels and f"[{RERUN}]" in labels:
        return outputs[:labels.index(f"[{RERUN}]")]
    return outputs


class FeedbackCleanup(Preprocessor):
    """The feedback export's own step (see the module's docstring)."""

    enabled = Bool(True, help="nbconvert runs a preprocessor only when enabled").tag(config=True)
    max_image_width = Integer(MAX_IMAGE_WIDTH, help="widest embedded image in the feedback, in pixels").tag(config=True)
    image_budget = Integer(IMAGE_BUDGET, help="bytes for all the images of one feedback file (before base64)").tag(config=True)

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = without_media(strip_tf_noise(own_outputs_only(cell.get("outputs", []))))
            elif cell.cell_type == "markdown":
                cell.source = math_to_mathml(cell.source)
        shrink_images([output for cell in nb.cells for output in cell.get("outputs", [])],
                      self.image_budget, self.max_image_width)
        nb.cells = verdict_first(nb.cells)
        return nb, resources
