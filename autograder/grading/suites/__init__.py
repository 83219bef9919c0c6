"""Hidden pytest suites, one per assignment; tests grouped by grade_id with ``@pytest.mark.grade``."""
