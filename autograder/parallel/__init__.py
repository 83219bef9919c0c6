"""`dlgrade autograde`: the grading tasks of every submission on a Dask cluster, nbgrader's
gradebook written by one serial nbgrader process (``autograde``)."""
