"""dlgrade: the instructor's machinery of the Deep Learning II course, one room per job.

The flow of an assignment through the rooms (imports go one way, from the top down):

    build    authoring/   assignments/<id>/<id>.py + solutions/ -> nbgrader source notebook, profile
    release  course/      `dlgrade init`: the nbgrader course, its config and its steps
    check    dlhelpers    (shipped beside every notebook) the visible checks in the student's kernel
    grade    grading/     the trusted grader: hidden suites, comparisons, the grading task
             sandbox/     where student code runs: the worker, its jail, the wire between them
             parallel/    `dlgrade autograde` on a Dask cluster
    after    instructor/  the class report, similar code, Moodle in and out
             demo/        `dlgrade demo`, the whole flow on simulated students

Top-level modules: ``cli`` (the `dlgrade` command), ``paths`` (where the installed parts are)
and ``moved`` (the module paths of earlier versions, which old nbgrader_config.py files name).
"""
from autograder import moved as _moved

_moved.install()
