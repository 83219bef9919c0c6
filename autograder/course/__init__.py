"""The nbgrader course: ``create`` (`dlgrade init` and the course's nbgrader_config.py),
``folder`` (the configuration, nbgrader runs and submissions of a course folder), ``gradebook``
(what the gradebook holds), ``steps`` (the sandboxed execution and trusted grade steps of
nbgrader's autograde), ``handed_in`` (the student's own outputs for the instructor) and
``feedback`` (the Portuguese feedback template and its cleanup step)."""
