"""The trusted verdict on one submission: ``submission`` (reading the notebook), ``grader``
(runs the hidden ``suites`` with pytest), ``expect`` and ``keras_models`` (comparisons with the
reference, in the trusted process), ``run_all`` (the notebook executed in the sandbox),
``result_cache`` (results by content, per course) and ``task`` (one submission as plain data in
and out, for a Dask worker)."""
