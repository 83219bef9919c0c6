"""One failure, one statement: repeated failures grouped once the case label is set aside, in the
grade cell's verdict (feedback page, formgrader) and in `dlgrade check`."""
from autograder.course.steps import verdict_outputs
from autograder.grading.failures import failure_groups, same_failure_note, without_case

UNPACK = ("a sua função lançou um erro: TypeError: cannot unpack non-iterable NoneType object\n"
          "dica: confira se cada caminho da função devolve o resultado")


def report(messages, passed=0):
    tests = [{"name": f"Gradientes [caso {i}]", "passed": False, "message": m} for i, m in enumerate(messages)]
    tests += [{"name": f"Certo [caso {i}]", "passed": True, "message": ""} for i in range(passed)]
    return {"tests": tests, "score": 0.0, "max_score": 3.0}


def test_the_case_label_is_set_aside():
    assert without_case("A_prev (2, 5, 5, 3), pad=1: valores diferentes\ndica: x") == "valores diferentes\ndica: x"
    assert without_case("sem rótulo") == "sem rótulo"


def test_a_repeated_failure_is_stated_once_with_its_count():
    messages = [f"caso {i}: {UNPACK}" for i in range(23)] + ["outro caso: dW: valores diferentes"]
    cell = report(messages, passed=2)
    groups = failure_groups(cell["tests"])
    assert [len(g) for g in groups] == [23, 1]
    assert same_failure_note(groups[0], 26) == "o mesmo erro em 23 de 26 casos"
    assert same_failure_note(groups[1], 26) == ""
    text = verdict_outputs(cell)[0]["text"]
    assert text.count("cannot unpack") == 1 and "o mesmo erro em 23 de 26 casos" in text
    assert "dW: valores diferentes" in text and text.count("✔") == 2
    assert max(text.splitlines().count(line) for line in text.splitlines()) == 1
    assert "Testes escondidos: 2 de 26 passaram" in text


def test_failures_that_differ_are_all_shown():
    cell = report(["caso 1: valores diferentes em 3 posições", "caso 2: valores diferentes em 5 posições"])
    text = verdict_outputs(cell)[0]["text"]
    assert "3 posições" in text and "5 posições" in text and "o mesmo erro" not in text
