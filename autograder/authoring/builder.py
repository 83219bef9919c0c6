"""Builds nbgrader *source* notebooks from assignments/<id>/<id>.py and solutions/.

An authoring file is a jupytext percent script. A code cell whose metadata names an exercise,

    # %% exercise="relu_forward" points=2

becomes two nbgrader cells: the reference function from solutions/ (signature and Portuguese
docstring visible, body between ### BEGIN SOLUTION / ### END SOLUTION) and, right after it, a
locked autograded cell with grade_id = the function name that runs the visible check. A
markdown cell ``# %% [markdown] answer="discussion" points=5`` is a written answer graded by
hand (nbgrader's manually graded cell). A code cell ``# %% autograded="saved_predictions"
points=3`` becomes a locked autograded cell with its own code (a visible check of something
that is not a function, like a file the notebook writes); the hidden suite grades it under that
grade_id. Other markdown cells become read-only. Everything else is copied as written.

Every notebook starts with the environment cell (autograder/authoring/helpers_kit.py), written here once
for all assignments: it installs the helper kit where ``dlhelpers`` is missing (a notebook
opened alone on Colab) and compares the student's numpy (and TensorFlow/Keras in the Keras
notebooks) with the versions of the environment that builds the course, which grades it.

The reference body is the only copy of an answer: it is read from solutions/ at build time.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from autograder.authoring.helpers_kit import environment_cell, write_helpers_wheel
from autograder.authoring.profiles import PROFILE_NAME, load_profile
from autograder.paths import ASSIGNMENTS_DIR, HELPERS_DIR, SOLUTIONS_DIR

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
NBGRADER_SCHEMA_VERSION = 3
ENVIRONMENT_CELL_ID = "ambiente"  # the first cell's id (a plain cell, not an nbgrader one)
SUBMIT_CELL_ID = "envio"  # the last cell's: `dlhelpers.enviar()`, a plain cell the student edits
SUBMIT_PROSE = """## Correção oficial antes do prazo

Quando o professor abrir o serviço de correção (`dlgrade serve`), você pode enviar este notebook e
receber, em cerca de um minuto, a nota do corretor oficial: os mesmos testes ocultos da correção
final. Salve o notebook (Ctrl+S), mude `ENVIAR` para `True` e rode a célula abaixo. O número de
envios por dia é limitado, então use os testes visíveis primeiro. Na correção final esta célula
não faz nada."""


class BuildError(Exception):
    """An authoring file or a reference function cannot be turned into a notebook."""


@dataclass(frozen=True)
class Exercise:
    name: str
    points: float


def assignment_ids(root: Path = ASSIGNMENTS_DIR) -> list[str]:
    """Every folder of ``root`` holding an authoring file named after it, in course order."""
    return sorted(p.name for p in root.iterdir() if (p / f"{p.name}.py").is_file())


def authoring_file(assignment_id: str, root: Path = ASSIGNMENTS_DIR) -> Path:
    path = root / assignment_id / f"{assignment_id}.py"
    if not path.is_file():
        raise BuildError(f"no authoring file {path} (known: {', '.join(assignment_ids(root))})")
    return path


def reference_modules() -> dict[str, str]:
    """Every public function of solutions/, by name -> the module defining it. Read from the
    sources, so finding a numpy exercise never imports TensorFlow (solutions/cnn.py)."""
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules([str(SOLUTIONS_DIR)]):
        module = f"solutions.{info.name}"
        tree = ast.parse((SOLUTIONS_DIR / f"{info.name}.py").read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                if node.name in found:
                    raise BuildError(f"{node.name} is defined twice in solutions/")
                found[node.name] = module
    return found


def reference_function(name: str):
    """The reference function ``name`` (imports only its own module)."""
    module = reference_modules().get(name)
    if module is None:
        raise BuildError(f"no reference function {name} in solutions/")
    return getattr(importlib.import_module(module), name)


def reference_functions(modules: set[str] | None = None) -> dict[str, object]:
    """Every public function of solutions/ (or of the given modules), by name."""
    return {name: reference_function(name) for name, module in reference_modules().items()
            if modules is None or module in modules}


def _imported_names(tree: ast.Module) -> dict[str, tuple[str | None, str]]:
    """Top-level imports of a module: bound name -> (module of a `from` import or None, what is
    imported, with its `as` alias)."""
    names = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                names[bound] = (None, alias.name + (f" as {alias.asname}" if alias.asname else ""))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name
                names[bound] = (node.module, alias.name + (f" as {alias.asname}" if alias.asname else ""))
    return names


def _import_lines(imports: list[tuple[str | None, str]]) -> list[str]:
    """Import statements for ``imports``, one `from` line per module."""
    plain = sorted(f"import {what}" for module, what in imports if module is None)
    grouped: dict[str, list[str]] = {}
    for module, what in imports:
        if module is not None:
            grouped.setdefault(module, []).append(what)
    return plain + [f"from {module} import {', '.join(sorted(whats))}" for module, whats in sorted(grouped.items())]


def _names_used(function_node: ast.FunctionDef) -> set[str]:
    return {n.id for n in ast.walk(function_node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def exercise_source(function, notebook_names: set[str], defined_exercises: set[str]) -> str:
    """The source-notebook cell of one exercise: signature and docstring, then the reference body
    inside the solution delimiters. Imports the body needs and the notebook lacks go inside the
    solution block, so they disappear from the release with the body."""
    module_tree = ast.parse(inspect.getsource(inspect.getmodule(function)))
    module_imports = _imported_names(module_tree)
    module_definitions = {
        node.name for node in module_tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    } | {
        target.id
        for node in module_tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    source = textwrap.dedent(inspect.getsource(function))
    node = ast.parse(source).body[0]
    name = function.__name__
    if not (node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)):
        raise BuildError(f"{name} has no docstring: students read it above the exercise")
    if len(node.body) < 2:
        raise BuildError(f"{name} has an empty body")

    missing_imports = []
    for used in sorted(_names_used(node) - notebook_names - {name}):
        if used in module_imports:
            missing_imports.append(module_imports[used])
        elif used in module_definitions and used not in defined_exercises:
            raise BuildError(
                f"{name} uses {used}, which is not an exercise defined earlier in this notebook: "
                "keep reference functions self-contained"
            )

    lines = source.splitlines()
    docstring_end = node.body[0].end_lineno
    header, body = lines[:docstring_end], lines[docstring_end:]
    while body and not body[0].strip():
        body.pop(0)
    indent = " " * (len(body[0]) - len(body[0].lstrip()))
    imports = [indent + line for line in _import_lines(missing_imports)]
    block = [indent + BEGIN_SOLUTION, *imports, *body, indent + END_SOLUTION]
    return "\n".join(header + block)


def check_source(name: str) -> str:
    """The locked autograded cell that follows each exercise: it runs the visible check."""
    return (
        "# Verificação (não altere esta célula): confere a sua função em casos simples.\n"
        "from dlhelpers.checks import check_exercise\n"
        f"check_exercise({name})"
    )


def _nbgrader(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": NBGRADER_SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def _notebook_level_names(cells) -> set[str]:
    names: set[str] = set()
    for cell in cells:
        if cell.cell_type != "code" or "exercise" in cell.metadata:
            continue
        try:
            tree = ast.parse(TransformerManager().transform_cell(cell.source))  # magics -> Python
        except SyntaxError as error:
            raise BuildError(f"a code cell does not parse: {error}\n{cell.source}") from None
        names |= set(_imported_names(tree))
        names |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        names |= {
            t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)
        }
    return names


def build_source_notebook(assignment_id: str, root: Path = ASSIGNMENTS_DIR,
                          helpers_url: str | None = None) -> nbformat.NotebookNode:
    """The nbgrader source notebook of one assignment. ``helpers_url``: where the first cell
    installs the helper kit from when ``dlhelpers`` is missing (a URL or a path, e.g. on Google
    Drive); without it, the wheel beside the notebook."""
    authored = jupytext.read(authoring_file(assignment_id, root))
    profile = load_profile(assignment_id, root)
    references = reference_modules()
    notebook_names = _notebook_level_names(authored.cells)
    notebook = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    notebook.cells.append(nbformat.v4.new_code_cell(
        environment_cell(profile.keras, helpers_url), id=ENVIRONMENT_CELL_ID))
    defined: set[str] = set()
    answers: set[str] = set()
    for index, cell in enumerate(authored.cells):
        metadata = dict(cell.metadata)
        if cell.cell_type == "markdown" and "answer" in metadata:
            # A written answer graded by hand (nbgrader's manually graded cell): the release
            # shows the text stub; the source may hold a model answer between the markers.
            grade_id, points = metadata.pop("answer"), float(metadata.pop("points", 1))
            if grade_id in defined or grade_id in answers:
                raise BuildError(f"{assignment_id}: answer cell {grade_id} appears twice")
            metadata["nbgrader"] = _nbgrader(grade_id, grade=True, solution=True, points=points)
            notebook.cells.append(nbformat.v4.new_markdown_cell(cell.source, metadata=metadata))
            answers.add(grade_id)
        elif cell.cell_type == "markdown":
            metadata["nbgrader"] = _nbgrader(f"text_{index:02d}", locked=True)
            notebook.cells.append(nbformat.v4.new_markdown_cell(cell.source, metadata=metadata))
        elif cell.cell_type == "code" and "autograded" in metadata:
            grade_id, points = metadata.pop("autograded"), float(metadata.pop("points", 1))
            if grade_id in defined or grade_id in answers or grade_id in references:
                raise BuildError(f"{assignment_id}: autograded cell {grade_id} clashes with another grade cell or a function")
            if not cell.source.strip():
                raise BuildError(f"{assignment_id}: autograded cell {grade_id} has no code to run")
            notebook.cells.append(nbformat.v4.new_code_cell(
                cell.source, metadata={**metadata, "nbgrader": _nbgrader(grade_id, grade=True, locked=True, points=points)}))
            answers.add(grade_id)
        elif "exercise" in metadata:
            exercise = Exercise(metadata.pop("exercise"), float(metadata.pop("points", 1)))
            if exercise.name not in references:
                raise BuildError(f"{assignment_id}: exercise {exercise.name} has no reference function in solutions/")
            if exercise.name in defined:
                raise BuildError(f"{assignment_id}: exercise {exercise.name} appears twice")
            if cell.source.strip():
                raise BuildError(f"{assignment_id}: the cell of exercise {exercise.name} must be empty; "
                                 "the build fills it from solutions/")
            code = exercise_source(reference_function(exercise.name), notebook_names, defined)
            notebook.cells.append(nbformat.v4.new_code_cell(
                code, metadata={**metadata, "nbgrader": _nbgrader(f"{exercise.name}_code", solution=True)}
            ))
            notebook.cells.append(nbformat.v4.new_code_cell(
                check_source(exercise.name),
                metadata={"nbgrader": _nbgrader(exercise.name, grade=True, locked=True, points=exercise.points)},
            ))
            defined.add(exercise.name)
        else:
            notebook.cells.append(nbformat.v4.new_code_cell(cell.source, metadata=metadata))
    if not defined:
        raise BuildError(f"{assignment_id}: no exercise cell (# %% exercise=\"name\" points=N)")
    for name in profile.handed_in:
        if not any(name in cell.source for cell in notebook.cells if cell.cell_type == "code"):
            raise BuildError(f"{assignment_id}: its profile expects the handed-in file {name}, "
                             "which no code cell of the notebook writes")
    notebook.cells.append(nbformat.v4.new_markdown_cell(
        SUBMIT_PROSE, metadata={"nbgrader": _nbgrader("text_envio", locked=True)}))
    notebook.cells.append(nbformat.v4.new_code_cell(submit_cell(assignment_id, profile.handed_in), id=SUBMIT_CELL_ID))
    nbformat.validate(notebook)
    return notebook


def submit_cell(assignment_id: str, handed_in) -> str:
    """The release's last cell: sends the saved notebook (and its handed-in files) when the student says so."""
    files = f", arquivos={list(handed_in)!r}" if handed_in else ""
    return (f"from dlhelpers import enviar\n\n"
            f"ENVIAR = False  # True: envia este notebook (a última versão salva) para a correção oficial\n"
            f"if ENVIAR:\n    envio = enviar({assignment_id!r}{files})\n")


def exercises(notebook: nbformat.NotebookNode) -> dict[str, float]:
    """grade_id -> points of every autograded cell of a built notebook (the code grade cells:
    exercises and ``autograded`` cells; written answers are graded by hand and are not here)."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
        for cell in notebook.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")
    }


def exercise_functions(notebook: nbformat.NotebookNode) -> set[str]:
    """The grade_ids of a built notebook that check a function the student writes (they have a
    ``<name>_code`` solution cell), as opposed to ``autograded`` cells."""
    solutions_ = {cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells
                  if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")}
    return {grade_id for grade_id in exercises(notebook) if f"{grade_id}_code" in solutions_}


def write_source_folder(assignment_id: str, destination: Path, root: Path = ASSIGNMENTS_DIR,
                        helpers_url: str | None = None) -> Path:
    """Writes ``destination/<id>.ipynb`` with the public helpers (the dlhelpers folder and its
    wheel, for a notebook opened alone) and the assignment's other files (data, images) beside
    it, so the folder runs alone. Returns the notebook's path."""
    notebook = build_source_notebook(assignment_id, root, helpers_url)
    destination.mkdir(parents=True, exist_ok=True)
    for item in (root / assignment_id).iterdir():
        if item.name in (f"{assignment_id}.py", PROFILE_NAME, "__pycache__"):
            continue
        target = destination / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, target)
    shutil.copytree(HELPERS_DIR, destination / "dlhelpers", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    write_helpers_wheel(destination)
    path = destination / f"{assignment_id}.ipynb"
    nbformat.write(notebook, path)
    return path
