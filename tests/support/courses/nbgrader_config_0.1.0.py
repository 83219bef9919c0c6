"""nbgrader configuration of a Deep Learning II course made by `dlgrade init`."""
# Kept as `dlgrade init` wrote it at 572a1ab (0.1.0, before autograder/ was split into rooms):
# tests/unit/test_moved.py and tests/e2e/test_course_from_0_1_0.py grade with it.
c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = 'deep-learning-2'
# The gradebook is gradebook.db (SQLite) here; for PostgreSQL see dlgrade's docs/large-courses.md.

# Students see Portuguese stubs in place of the hidden solutions.
c.ClearSolutions.code_stub = {"python": '# SEU CÓDIGO AQUI\nraise NotImplementedError()'}
c.ClearSolutions.text_stub = 'SUA RESPOSTA AQUI'

# Autograde with the trusted grader: the notebook runs in the sandbox (not in a kernel of
# this process), then the hidden suites replace every grade cell's output with the verdict,
# whose number nbgrader's SaveAutoGrades stores as the cell's (partial) score.
from autograder.nbgrader_steps import HandedInOutputs, SandboxedExecute, TrustedGrade  # noqa: E402
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

# HandedInOutputs: where part of a notebook is graded by hand, its code cells show the outputs the
# student handed in (labelled), then the sandboxed run's; grade cells keep the trusted verdict.
c.Autograde.autograde_preprocessors = [
    SandboxedExecute, TrustedGrade, HandedInOutputs, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
    SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]
# Limits come from each assignment's profile (assignments/<id>/profile.toml in dlgrade):
#   a1_ativacoes: 60 s per cell, 20 s per call, 3 GiB, 300 CPU s
#   a2_convolucao: 60 s per cell, 20 s per call, 3 GiB, 300 CPU s
#   a3_pooling: 60 s per cell, 20 s per call, 3 GiB, 300 CPU s
#   a4_backprop: 60 s per cell, 20 s per call, 3 GiB, 300 CPU s
#   a5_rnn_lstm: 60 s per cell, 20 s per call, 3 GiB, 300 CPU s
#   a6_cnn_keras: 300 s per cell, 60 s per call, 12 GiB, 900 CPU s
#   a7_autoencoder: 300 s per cell, 60 s per call, 12 GiB, 900 CPU s
#   projeto_final: 600 s per cell, 60 s per call, 12 GiB, 900 CPU s
# To override them for this course, by assignment id (see `nbgrader autograde --help-all`):
# c.SandboxedExecute.timeouts = {"a6_cnn_keras": 600}         # seconds per cell (Run-All)
# c.SandboxedExecute.memory_limits = {"a6_cnn_keras": 16 << 30} # bytes
# c.TrustedGrade.call_timeouts = {"a2_convolucao": 40}          # seconds per student call
# c.TrustedGrade.memory_limits = {"a6_cnn_keras": 16 << 30}     # bytes
# c.TrustedGrade.cpu_limits = {"projeto_final": 1800}           # CPU seconds of the worker

# `nbgrader zip_collect` reads Moodle's "download all submissions" zip (see autograder/lms.py).
c.ZipCollectApp.collector_plugin = "autograder.lms.MoodleCollector"

# Feedback (`nbgrader generate_feedback`): dlgrade's template, in Portuguese, one self-contained
# HTML file per student (math as MathML, images downscaled); see dlgrade's autograder/feedback.py.
from autograder.feedback import TEMPLATE_BASEDIR, FeedbackCleanup  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, FeedbackCleanup, CSSHTMLHeaderPreprocessor]
# Only the feedback's exporter: its template "feedback" (nbgrader's name, which the formgrader's
# "generate feedback" also asks for) is found there first; the formgrader's pages keep theirs.
c.GenerateFeedback.HTMLExporter.extra_template_basedirs = [TEMPLATE_BASEDIR]

# The formgrader's pages load MathJax from the Jupyter server that serves them (the
# jupyter-server-mathjax extension, a dependency of dlgrade), not from a CDN: math renders
# offline, and formgrade.js, which stopped at a failed MathJax load before registering its
# keyboard shortcuts, starts. The list keeps nbgrader's own templates.
from autograder.paths import html_template_basedirs  # noqa: E402

c.HTMLExporter.extra_template_basedirs = html_template_basedirs()

# Students hand in through the LMS (`nbgrader zip_collect`, below), not nbgrader's exchange.
# Its root is still this course's (empty) exchange/ folder: with a missing root the
# formgrader warns that "the exchange directory does not exist". To use the exchange, see
# `dlgrade init --exchange` in dlgrade's docs/large-courses.md.
import os  # noqa: E402

c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")
