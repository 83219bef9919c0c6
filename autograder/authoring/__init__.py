"""From the authoring files to notebooks: ``builder`` (assignments/<id>/<id>.py and solutions/
into an nbgrader source notebook), ``profiles`` (how each assignment is graded, declared once)
and ``helpers_kit`` (the first cell of every notebook and the dlhelpers wheel it installs)."""
