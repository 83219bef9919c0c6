"""The shape of the product package: rooms by job, imports one way (no circle between modules or
between rooms), few modules at the top, and no simulated student code inside it."""
import ast
import functools
from pathlib import Path

import pytest

from autograder.authoring.builder import assignment_ids, build_source_notebook, exercise_functions
from autograder.paths import AUTOGRADER_DIR

PACKAGE = AUTOGRADER_DIR.parent
TESTS = Path(__file__).resolve().parents[1]


def module_name(path: Path, root: Path = PACKAGE) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


MODULES = {module_name(p): p for p in sorted(AUTOGRADER_DIR.rglob("*.py"))}


def imported_modules(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports anywhere in its file (functions included); a package's
    own ``__init__`` importing its children does not count."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and not target.startswith(name + "."):
                found.add(target)
    return found


GRAPH = {name: imported_modules(name, path) for name, path in MODULES.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def room(name: str) -> str:
    """``autograder.grading`` for every module of that sub-package; a top-level module is its own."""
    return ".".join(name.split(".")[:2])


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_between_modules():
    assert circles(GRAPH) == []


def test_no_import_circle_between_rooms():
    rooms = {}
    for name, targets in GRAPH.items():
        if name != "autograder":  # the root package's __init__ imports its own children
            rooms.setdefault(room(name), set()).update(room(t) for t in targets if room(t) != room(name))
    assert circles(rooms) == []


def test_rooms_by_job_and_few_modules_at_the_top():
    top_modules = sorted(p.name for p in AUTOGRADER_DIR.glob("*.py"))
    rooms = sorted(p.name for p in AUTOGRADER_DIR.iterdir() if (p / "__init__.py").is_file())
    assert len(top_modules) <= 6, top_modules
    assert {"grading", "sandbox", "course", "instructor"} <= set(rooms)
    for name in rooms:  # a room's __init__ describes it and re-exports nothing (no import-time work)
        tree = ast.parse((AUTOGRADER_DIR / name / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), name
        assert not [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))], name


def test_the_sandbox_imports_no_other_room():
    """The worker's side must stay small: it runs inside the jail with only what it imported."""
    for name, targets in GRAPH.items():
        if room(name) == "autograder.sandbox":
            assert {room(t) for t in targets} <= {"autograder", "autograder.sandbox", "autograder.paths"}, (name, targets)


def test_the_product_imports_nothing_of_the_tests():
    assert not [name for name, targets in GRAPH.items()
                for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8")))
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tests"]


@functools.cache
def exercise_names() -> frozenset[str]:
    return frozenset(f for a in assignment_ids() for f in exercise_functions(build_source_notebook(a)))


def defined_functions(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_simulated_student_code_in_a_product_module(name):
    """No string in a product module is code that defines an exercise function: simulated
    students (the demo's are data, autograder/demo/students.toml; the tests' are in tests/support)."""
    exercises = exercise_names()
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s[:60] for s in strings if defined_functions(s) & exercises]


def test_the_check_above_sees_a_simulated_student():
    assert defined_functions("def conv_forward(A_prev, W, b, stride=1, pad=0):\n    return 0") & exercise_names()


def test_no_test_imports_another_test_module():
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests."):
                assert not node.module.split(".")[-1].startswith("test_"), (path.name, node.module)
