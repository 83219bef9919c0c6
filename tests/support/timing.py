"""Timing for the benchmark scripts (never for tests: a stopwatch in a test is load noise)."""
import statistics
import time


def median_seconds(fn, repeats: int, warm_up: bool = True) -> float:
    """Median wall time of ``repeats`` calls of ``fn``; one call first, not counted, when
    ``warm_up`` (first-call costs such as imports and tracing are not the steady state)."""
    if warm_up:
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
