"""`dlgrade demo`: the course workflow end to end on simulated students (``workflow``); their
code is data (students.toml), read by ``workflow.demo_cells``."""
