"""Official grading before the deadline (`dlgrade tokens`, later `dlgrade serve` and `dlgrade
collect`): ``store`` (the service's database: students' token hashes), ``tokens`` (the secrets
handed out to students)."""
