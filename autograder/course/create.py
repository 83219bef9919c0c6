"""`dlgrade init`: an nbgrader course directory built from assignments/ and solutions/.

Layout (nbgrader's): DIR/nbgrader_config.py, DIR/source/<id>/<id>.ipynb (instructor version,
with solutions), DIR/release/<id>/ (student version, made by `nbgrader generate_assignment`),
DIR/gradebook.db, DIR/exchange/ (the root of nbgrader's exchange, see ``exchange_text``). Each
release/<id>/ also holds the helper kit (dlhelpers/ and its wheel,
dlhelpers-<version>-py3-none-any.whl), and each notebook's first cell records the numpy
(TensorFlow, Keras) versions of the environment that ran `dlgrade init` and, when given, the
URL or path the kit installs from where it is missing (``helpers_url``).

An existing course is never overwritten: its submissions, grades and gradebook stay
untouched; ``rebuild=True`` regenerates only source/ and release/.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from autograder.authoring.builder import assignment_ids, write_source_folder
from autograder.authoring.profiles import load_profile
from autograder.course.folder import CONFIG_NAME, CourseError, run_nbgrader
from autograder.paths import ASSIGNMENTS_DIR

COURSE_ID = "deep-learning-2"
CODE_STUB = "# SEU CÓDIGO AQUI\nraise NotImplementedError()"
TEXT_STUB = "SUA RESPOSTA AQUI"
EXCHANGE_FOLDER = "exchange"


def limits_comment(ids: list[str], root: Path = ASSIGNMENTS_DIR) -> str:
    """The profiles' limits, as commented-out overrides an instructor can edit."""
    lines = []
    for assignment in ids:
        profile = load_profile(assignment, root)
        lines.append(f"#   {assignment}: {profile.cell_timeout} s per cell, {profile.call_timeout:g} s per call, "
                     f"{profile.memory_gib:g} GiB, {profile.cpu_seconds} CPU s")
    return "\n".join(lines)


def exchange_text(exchange: bool) -> str:
    """The configuration of nbgrader's exchange. Its root is always the course's own exchange/
    folder, which init creates: the formgrader runs nbgrader's exchange List at start and, when
    its root (by default /usr/local/share/nbgrader/exchange) is not an existing folder writable
    by the instructor, shows "The exchange directory ... does not exist". A course that collects
    from an LMS never uses the folder; with ``exchange`` (init --exchange) it is writable by every
    user, so that students of the same machine (a JupyterHub) fetch and submit through it."""
    if exchange:
        comment = f"""# nbgrader's exchange (`dlgrade init --exchange`): students of this machine fetch and submit
# through this course's {EXCHANGE_FOLDER}/ folder, writable by every user. Their nbgrader must name
# the same root and course id (e.g. in /etc/jupyter/nbgrader_config.py), and every user must be
# able to enter the folders above it. See dlgrade's docs/large-courses.md.
"""
    else:
        comment = f"""# Students hand in through the LMS (`nbgrader zip_collect`, below), not nbgrader's exchange.
# Its root is still this course's (empty) {EXCHANGE_FOLDER}/ folder: with a missing root the
# formgrader warns that "the exchange directory does not exist". To use the exchange, see
# `dlgrade init --exchange` in dlgrade's docs/large-courses.md.
"""
    return comment + f"""import os  # noqa: E402
c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "{EXCHANGE_FOLDER}")
"""


def feedback_text() -> str:
    """The configuration of `nbgrader generate_feedback`: dlgrade's template and its cleanup
    step (autograder/course/feedback.py): Portuguese labels, the verdict first, math as MathML, small
    images, no TensorFlow log lines; one self-contained file that renders offline."""
    return """# Feedback (`nbgrader generate_feedback`): dlgrade's template, in Portuguese, one self-contained
# HTML file per student (math as MathML, images downscaled); see dlgrade's autograder/course/feedback.py.
from nbgrader.preprocessors import GetGrades  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from autograder.course.feedback import FeedbackCleanup, TEMPLATE_BASEDIR  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, FeedbackCleanup, CSSHTMLHeaderPreprocessor]
# Only the feedback's exporter: its template "feedback" (nbgrader's name, which the formgrader's
# "generate feedback" also asks for) is found there first; the formgrader's pages keep theirs.
c.GenerateFeedback.HTMLExporter.extra_template_basedirs = [TEMPLATE_BASEDIR]
"""


def formgrader_text() -> str:
    """The formgrader's MathJax: served by this Jupyter server, not a CDN (see paths.html_template_basedirs)."""
    return """# The formgrader's pages load MathJax from the Jupyter server that serves them (the
# jupyter-server-mathjax extension, a dependency of dlgrade), not from a CDN: math renders
# offline, and formgrade.js, which stopped at a failed MathJax load before registering its
# keyboard shortcuts, starts. The list keeps nbgrader's own templates.
from autograder.paths import html_template_basedirs  # noqa: E402
c.HTMLExporter.extra_template_basedirs = html_template_basedirs()
"""


def config_text(db_url: str | None = None, ids: list[str] | None = None, root: Path = ASSIGNMENTS_DIR,
                exchange: bool = False) -> str:
    ids = assignment_ids(root) if ids is None else ids
    database = (f"c.CourseDirectory.db_url = {db_url!r}\n" if db_url else
                "# The gradebook is gradebook.db (SQLite) here; for PostgreSQL see dlgrade's docs/large-courses.md.\n")
    return f'''"""nbgrader configuration of a Deep Learning II course made by `dlgrade init`."""
c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = {COURSE_ID!r}
{database}
# Students see Portuguese stubs in place of the hidden solutions.
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
c.ClearSolutions.text_stub = {TEXT_STUB!r}

# Autograde with the trusted grader: the notebook runs in the sandbox (not in a kernel of
# this process), then the hidden suites replace every grade cell's output with the verdict,
# whose number nbgrader's SaveAutoGrades stores as the cell's (partial) score.
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput, SaveAutoGrades,
)
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from autograder.course.steps import SandboxedExecute, TrustedGrade  # noqa: E402
from autograder.course.handed_in import HandedInOutputs  # noqa: E402

# HandedInOutputs: where part of a notebook is graded by hand, its code cells show the outputs the
# student handed in (labelled), then the sandboxed run's; grade cells keep the trusted verdict.
c.Autograde.autograde_preprocessors = [
    SandboxedExecute, TrustedGrade, HandedInOutputs, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
    SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]
# Limits come from each assignment's profile (assignments/<id>/profile.toml in dlgrade):
{limits_comment(ids, root)}
# To override them for this course, by assignment id (see `nbgrader autograde --help-all`):
# c.SandboxedExecute.timeouts = {{"a6_cnn_keras": 600}}         # seconds per cell (Run-All)
# c.SandboxedExecute.memory_limits = {{"a6_cnn_keras": 16 << 30}} # bytes
# c.TrustedGrade.call_timeouts = {{"a2_convolucao": 40}}          # seconds per student call
# c.TrustedGrade.memory_limits = {{"a6_cnn_keras": 16 << 30}}     # bytes
# c.TrustedGrade.cpu_limits = {{"projeto_final": 1800}}           # CPU seconds of the worker

# `nbgrader zip_collect` reads Moodle's "download all submissions" zip (see autograder/instructor/lms.py).
c.ZipCollectApp.collector_plugin = "autograder.instructor.lms.MoodleCollector"

{feedback_text()}
{formgrader_text()}
{exchange_text(exchange)}'''


def init_course(course_dir: Path, rebuild: bool = False, only: list[str] | None = None,
                root: Path = ASSIGNMENTS_DIR, db_url: str | None = None, progress=None,
                helpers_url: str | None = None, exchange: bool = False) -> list[str]:
    """Creates (or, with ``rebuild``, refreshes the notebooks of) the course at ``course_dir``.
    Returns the assignment ids built. ``helpers_url``: where a notebook opened alone (Colab)
    installs the helper kit from; without it, from the wheel beside the notebook. ``exchange``:
    students use nbgrader's exchange, in the course's exchange/ folder, writable by every user
    (see ``exchange_text``); like ``db_url``, it only shapes the configuration of a new course.
    ``progress``, when given, makes the progress bar: called with the number of steps (one per
    notebook built, then nbgrader's generate_assignment), it returns a tqdm bar, which advances
    and is closed here. The total is known before the bar is drawn: no "0 steps" line."""
    course_dir = Path(course_dir).resolve()
    config = course_dir / CONFIG_NAME
    existing = course_dir.exists() and any(course_dir.iterdir())
    if existing and not rebuild:
        raise CourseError(
            f"{course_dir} already exists and is not empty; nothing was changed. "
            "To regenerate only its source/ and release/ notebooks (submissions, grades and the "
            "gradebook are kept), run: dlgrade init --rebuild " + str(course_dir)
        )
    if rebuild and existing and not config.is_file():
        raise CourseError(f"{course_dir} is not a dlgrade course (no {CONFIG_NAME}); nothing was changed.")

    ids = assignment_ids(root)
    if only:
        unknown = sorted(set(only) - set(ids))
        if unknown:
            raise CourseError(f"unknown assignment(s) {', '.join(unknown)}; known: {', '.join(ids)}")
        ids = [i for i in ids if i in only]

    course_dir.mkdir(parents=True, exist_ok=True)
    bar = progress(len(ids) + 1) if progress is not None else None
    try:
        if not config.is_file():
            config.write_text(config_text(db_url, assignment_ids(root), root, exchange), encoding="utf-8")
            exchange_dir = course_dir / EXCHANGE_FOLDER
            exchange_dir.mkdir(exist_ok=True)
            if exchange:  # as nbgrader's docs set up /srv/nbgrader/exchange: chmod ugo+rw
                exchange_dir.chmod(0o777)
        elif f'"{EXCHANGE_FOLDER}")' in config.read_text(encoding="utf-8"):
            (course_dir / EXCHANGE_FOLDER).mkdir(exist_ok=True)  # a rebuild of a course that lost it
        for assignment_id in ids:
            source = course_dir / "source" / assignment_id
            if source.exists():
                shutil.rmtree(source)
            write_source_folder(assignment_id, source, root, helpers_url=helpers_url)
            if bar is not None:
                bar.update()
        # One nbgrader process for all (a glob) when source/ holds nothing else: ~3 s each saved.
        others = {p.name for p in (course_dir / "source").iterdir()} - set(ids)
        for pattern in (["*"] if not others else ids):
            run_nbgrader(course_dir, "generate_assignment", pattern, "--force")
        if bar is not None:
            bar.update()
    except BaseException:
        if not existing:  # a half-made new course would block the next attempt
            shutil.rmtree(course_dir, ignore_errors=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    return ids


