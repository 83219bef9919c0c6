"""After grading: ``class_report`` (`dlgrade report`: statistics over ``class_data``, drawn by
``report_page``), ``similarity`` (code unusually alike), ``lms`` (Moodle's zip into nbgrader's
zip_collect) and ``moodle_return`` (grades and feedback back into Moodle)."""
