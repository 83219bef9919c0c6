"""Where student code runs: ``worker`` (runs it, nothing else), ``jail`` (the worker locks itself
in), ``wire`` (the plain-data messages between the sides), ``trusted_side`` (starts the worker and
reads its results), ``error_hints`` (a student error in Portuguese) and ``visibility`` (what
graded code cannot see). Nothing here imports the other rooms."""
