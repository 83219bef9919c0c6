"""Public cases of the visible checks, one module per assignment: ``CASES[function_name]``."""
