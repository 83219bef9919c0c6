"""The feedback students read: dlgrade's template and cleanup step (autograder/course/feedback.py), on a
small notebook exported as `nbgrader generate_feedback` exports it, without a course."""
import base64
import io
import re

import nbformat
import numpy as np
import pytest
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from traitlets.config import Config

from autograder.course.create import config_text
from autograder.course.feedback import (
    TEMPLATE_BASEDIR,
    TEMPLATE_NAME,
    FeedbackCleanup,
    math_to_mathml,
    shrink_images,
    verdict_first,
)
from autograder.grading.run_all import strip_tf_noise

TF_LINES = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    "I0000 00:00:1796089294.593000       3 port.cc:153] oneDNN custom operations are on. You may see slightly "
    "different numerical results due to floating-point round-off errors.\n"
    "I0000 00:00:1796089294.594029       3 cudart_stub.cc:31] Could not find cuda drivers on your machine, GPU will "
    "not be used.\n"
    "E0000 00:00:1796089231.417370   13606 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error\n"
    "2026-12-01 01:02:03.456789: I tensorflow/core/platform/cpu_feature_guard.cc:210] This TensorFlow binary is "
    "optimized to use available CPU instructions in performance-critical operations.\n"
    "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with the appropriate "
    "compiler flags.\n"
)
ENGLISH_LABELS = ("Student's answer", "Test cell", "Grade cell", "Score", "Comments", "Written response",
                  "Late submission penalty")


def noisy_photo(width=1600, height=900) -> str:
    """A base64 PNG that compresses badly, like the plots of real photos in a2."""
    from PIL import Image

    pixels = np.random.default_rng(0).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def graded_notebook():
    """A solution cell and its grade cell (as the builder writes them), a written answer, math,
    TensorFlow's log lines and a large plot; the scores as nbgrader's GetGrades leaves them."""
    def meta(grade_id, **flags):
        return {"nbgrader": {"grade_id": grade_id, "grade": False, "solution": False, "locked": False,
                             "task": False, **flags}}

    cells = [
        nbformat.v4.new_markdown_cell("O tamanho com padding: $p = (f - 1)/2$ e\n\n$$\\sigma(z) = \\frac{1}{1 + e^{-z}}$$\n\n"
                                      "Custa R$ 5, e `x = $HOME` é código."),
        nbformat.v4.new_code_cell("import tensorflow as tf\nprint('pronto')"),
        nbformat.v4.new_code_cell("def conv_forward(A_prev, W, b):\n    return A_prev", metadata=meta("conv_forward_code", solution=True)),
        nbformat.v4.new_code_cell("check_exercise('conv_forward', conv_forward)",
                                  metadata=meta("conv_forward", grade=True, locked=True, points=4.0, score=3.0)),
        nbformat.v4.new_code_cell("plt.imshow(foto)"),
        nbformat.v4.new_markdown_cell("A rede acerta porque ...",
                                      metadata=meta("discussao", grade=True, solution=True, points=2.0, score=2.0)),
    ]
    cells[1].outputs = [nbformat.v4.new_output("stream", name="stderr", text=TF_LINES),
                        nbformat.v4.new_output("stream", name="stdout", text="pronto\n")]
    long_hint = "dica: " + "a janela da saída (h, w) começa na linha h*stride e na coluna w*stride " * 6
    cells[3].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="Testes escondidos: 3 de 4 passaram; nota 3 de 4.\n"
                               "✘ stride 2\n    " + long_hint + "\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "3.0"}, execution_count=None),
    ]
    cells[4].outputs = [nbformat.v4.new_output("display_data", data={"image/png": noisy_photo(), "text/plain": "<Figure>"})]
    return nbformat.v4.new_notebook(cells=cells)


def export(nb) -> str:
    """The HTML `nbgrader generate_feedback` writes with a course's configuration (its exporter
    options and preprocessors after GetGrades, whose results ``graded_notebook`` already holds)."""
    config = Config()
    config.HTMLExporter.template_name = TEMPLATE_NAME
    config.HTMLExporter.extra_template_basedirs = [TEMPLATE_BASEDIR]
    exporter = HTMLExporter(config=config)
    for step in (FeedbackCleanup, CSSHTMLHeaderPreprocessor):
        exporter.register_preprocessor(step)
    resources = {"nbgrader": {"notebook": "a2_convolucao", "score": 5.0, "max_score": 6.0, "late_penalty": 0.0}}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return html


@pytest.fixture(scope="module")
def page():
    return export(graded_notebook())


def test_labels_are_portuguese_and_name_the_exercise(page):
    assert '<html lang="pt-BR">' in page
    assert "Nota: 5 de 6 pontos" in page
    assert re.search(r"Exercício: <code>conv_forward</code></span>\s*<span class=\"score\">3 de 4 pontos", page)
    assert "Sua resposta: <code>conv_forward</code>" in page
    assert "Resposta escrita: <code>discussao</code>" in page
    for english in ENGLISH_LABELS:
        assert english not in page, english


def test_the_verdict_comes_before_the_code(page):
    verdict = page.index("Testes escondidos: 3 de 4 passaram")
    assert page.index("Nota: 5 de 6 pontos") < verdict < page.index("Sua resposta: <code>conv_forward</code>")
    assert verdict < page.index("check_exercise")  # the check's code is folded below its verdict
    assert ">3.0<" not in page  # the score as a number is not an output the student reads


def test_math_is_mathml_and_code_keeps_its_dollars(page):
    assert page.count("<math") == 2 and re.search(r'<math [^>]*display="block"', page)
    assert "<mfrac>" in page and "$p = (f - 1)/2$" not in page and "$$" not in page
    assert "R$ 5" in page and "$HOME" in page
    assert "<script" not in page and "mathjax" not in page.lower()  # nothing loaded from the internet


def test_no_tensorflow_log_lines_and_the_notebooks_own_output_stays(page):
    for noise in ("absl", "oneDNN", "cuda", "cuInit", "cpu_feature_guard", "To enable the following instructions"):
        assert noise not in page, noise
    assert "pronto" in page


def test_images_shrink_and_the_file_stays_small(page):
    widths = []
    for kind, data in re.findall(r'src="data:image/(png|jpeg);base64,([^"]+)"', page):
        from PIL import Image

        widths.append(Image.open(io.BytesIO(base64.b64decode(data))).width)
    assert widths and max(widths) <= 800
    assert len(page.encode()) < 500_000


def test_long_lines_wrap(page):
    assert re.search(r"pre \{[^}]*white-space: pre-wrap", page) and "overflow-wrap: anywhere" in page


def test_strip_tf_noise_keeps_other_stderr_and_drops_empty_outputs():
    outputs = [nbformat.v4.new_output("stream", name="stderr", text=TF_LINES),
               nbformat.v4.new_output("stream", name="stderr", text=TF_LINES + "aviso do aluno\n"),
               nbformat.v4.new_output("stream", name="stdout", text="I0000 00:00:1.0 1 port.cc:1] no stdout fica\n")]
    kept = strip_tf_noise(outputs)
    assert [o["text"] for o in kept] == ["aviso do aluno\n", "I0000 00:00:1.0 1 port.cc:1] no stdout fica\n"]


def test_math_conversion_leaves_code_and_money_alone():
    assert math_to_mathml("`$x$` e ```\n$y$\n```") == "`$x$` e ```\n$y$\n```"
    assert math_to_mathml("custa R$ 10 e US$ 3") == "custa R$ 10 e US$ 3"
    converted = math_to_mathml(r"a $x_1 * y_2$ b")
    assert converted.startswith("a <math") and converted.endswith("</math> b")
    assert "_" not in converted.split(">", 1)[1] and "*" not in converted  # nothing markdown would read


def test_image_budget_picks_a_smaller_step_for_many_images():
    outputs = [{"output_type": "display_data", "metadata": {}, "data": {"image/png": noisy_photo(900, 500)}}
               for _ in range(3)]
    total = shrink_images(outputs, budget=120_000)
    assert total <= 120_000 or all("image/jpeg" in o["data"] for o in outputs)
    assert sum(len(base64.b64decode(next(iter(o["data"].values())))) for o in outputs) == total


def test_verdict_first_moves_only_a_grade_cell_that_follows_its_solution():
    nb = graded_notebook()
    order = [c.metadata.get("nbgrader", {}).get("grade_id") for c in verdict_first(nb.cells)]
    assert order == [None, None, "conv_forward", "conv_forward_code", None, "discussao"]


def test_a_new_course_uses_the_template_only_for_feedback(tmp_path):
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    config = Config()
    exec(config_text(ids=[]), {"get_config": lambda: config, "__file__": str(tmp_path / "nbgrader_config.py")})  # noqa: S102
    assert FeedbackCleanup in config.GenerateFeedback.preprocessors
    feedback = GenerateFeedback(coursedir=CourseDirectory(config=config, root=str(tmp_path)), config=config)
    assert HTMLExporter(parent=feedback, config=feedback.config).extra_template_basedirs == [TEMPLATE_BASEDIR]
    assert HTMLExporter(parent=feedback, config=feedback.config).template_name == TEMPLATE_NAME
    # The formgrader's own pages use an HTMLExporter too: theirs never gets this template.
    assert TEMPLATE_BASEDIR not in HTMLExporter(config=config).extra_template_basedirs


def test_the_student_gets_back_their_own_outputs_not_the_grading_rerun():
    from autograder.course.feedback import own_outputs_only
    from autograder.course.handed_in import HANDED_IN, RERUN, origin_label

    mine = nbformat.v4.new_output("stream", name="stdout", text="2624 imagens\n")
    rerun = nbformat.v4.new_output("error", ename="ModuleNotFoundError", evalue="elpv_dataset", traceback=[])
    both = [origin_label(HANDED_IN), mine, origin_label(RERUN), rerun]
    assert own_outputs_only(both) == [origin_label(HANDED_IN), mine]
    only_rerun = [origin_label(RERUN), rerun]  # the handed-in notebook could not be read
    assert own_outputs_only(only_rerun) == only_rerun
    assert own_outputs_only([mine]) == [mine]


def test_sound_players_leave_the_feedback():
    from autograder.course.feedback import without_media

    player = nbformat.v4.new_output("display_data", data={
        "text/plain": "<IPython.lib.display.Audio object>",
        "text/html": '<audio controls="controls"><source src="data:audio/wav;base64,UklGR' + "A" * 40_000 + '"/></audio>'})
    text = nbformat.v4.new_output("stream", name="stdout", text="apito: -60.0 dB\n")
    kept = without_media([player, text])
    assert kept[1] == text and "ouça" in kept[0]["text"] and len(str(kept)) < 500
