"""One failure, one statement: the failed tests of an exercise grouped by their message once the
case label (the text before the first ": ") is set aside, so that a feedback page, the
formgrader's verdict and `dlgrade check` state a repeated failure once, with its count of cases.
The JSON report keeps one entry per test."""
from __future__ import annotations


def without_case(message: str) -> str:
    """``message`` without its case label: "aleatório 3, A_prev (2, 5, 5, 3): valores ..." ->
    "valores ..."."""
    first, newline, rest = message.partition("\n")
    label, colon, statement = first.partition(": ")
    return (statement if colon else first) + newline + rest


def failure_groups(tests: list[dict]) -> list[list[dict]]:
    """The failed tests of one exercise, grouped by ``without_case(message)``, in the order of
    their first failure; each group in test order."""
    groups: dict[str, list[dict]] = {}
    for test in tests:
        if not test["passed"]:
            groups.setdefault(without_case(test["message"] or ""), []).append(test)
    return list(groups.values())


def same_failure_note(group: list[dict], total: int) -> str:
    """"o mesmo erro em 23 de 23 casos" for a group of more than one test, else ""."""
    return f"o mesmo erro em {len(group)} de {total} casos" if len(group) > 1 else ""
