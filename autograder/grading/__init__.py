"""The trusted verdict on one submission: ``submission`` (reading the notebook), ``grader``
(runs the hidden ``suites`` with pytest), ``expect`` and ``keras_models`` (comparisons with the
reference, in the trusted process), ``caches`` (a backward graded on a cache that works with it,
and the forward's cache test), ``failures`` (a repeated failure stated once), ``run_all`` (the notebook executed in the sandbox),
``result_cache`` (results by content, per course) and ``task`` (one submission as plain data in
and out, for a Dask worker)."""
