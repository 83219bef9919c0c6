"""The course's authoring files, one folder per notebook: ``<id>/<id>.py`` (jupytext percent,
Portuguese prose and exercise markers) and ``<id>/profile.toml`` (how it is graded).

Shipped as package data so that an installed ``dlgrade`` builds the course from any folder.
The public helpers beside them (``dlhelpers/``) are installed as their own package.
"""
