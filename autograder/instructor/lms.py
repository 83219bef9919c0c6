"""From the LMS into nbgrader: a `zip_collect` collector for Moodle's "download all submissions".

Accepted names (one archive with every student's file, as Moodle exports it):

- ``Ana Souza_12345_assignsubmission_file_a2_convolucao.ipynb`` (flat, older Moodle);
- ``Ana Souza_12345_assignsubmission_file_/a2_convolucao.ipynb`` (a folder per student, newer);
- any notebook name after ``_assignsubmission_file_``: ``tarefa (1).ipynb`` is collected as the
  assignment's notebook, ``<assignment>.ipynb``, since each assignment has exactly one.

The student id is Moodle's participant number (``12345``), which is what the grades CSV is
matched on when it goes back to Moodle; the name before it gives first and last name.
"""
from __future__ import annotations

import os
import re

from nbgrader.api import Gradebook
from nbgrader.plugins import FileNameCollectorPlugin

MOODLE_NAME = re.compile(r"^(?P<name>.+?)_(?P<student_id>\d+)_assignsubmission_(?:file|onlinetext)_(?P<file>.*)$")


class MoodleCollector(FileNameCollectorPlugin):
    def collect(self, submission_file: str):
        name = os.path.basename(submission_file)
        match = MOODLE_NAME.match(name)
        if match is None:  # the folder-per-student layout: the folder carries the name
            folder = os.path.basename(os.path.dirname(submission_file))
            match = MOODLE_NAME.match(folder + name)
        if match is None:
            self.log.warning("Not a Moodle submission name, skipped: %s", name)
            return None
        first, _, last = match["name"].strip().partition(" ")
        student_id = match["student_id"]
        file_id = match["file"]
        if file_id.lower().endswith(".ipynb"):
            file_id = f"{self.parent.coursedir.assignment_id}.ipynb"
        # nbgrader keeps only the id; store the name too, so the grades CSV can carry it.
        with Gradebook(self.parent.coursedir.db_url, self.parent.coursedir.course_id) as gradebook:
            gradebook.update_or_create_student(student_id, first_name=first, last_name=last)
        return {"student_id": student_id, "file_id": file_id, "first_name": first, "last_name": last}
