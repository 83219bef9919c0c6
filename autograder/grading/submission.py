"""Reading a notebook to grade: which assignment it is, and the code the worker must run.

Nothing here executes the notebook. A file that cannot be graded at all (not a notebook, an
unknown assignment) raises ``SubmissionError`` with a one-line reason. A broken exercise (its
cell deleted or stripped of its nbgrader metadata, or no longer defining its function) costs
that exercise only: it is listed in ``Submission.broken`` with what to restore, and the rest of
the notebook is graded.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.authoring.builder import assignment_ids, build_source_notebook, exercise_functions, exercises
from autograder.authoring.profiles import load_profile

SOLUTION_SUFFIX = "_code"
MAX_ATTACHMENT_BYTES = 20 << 20
LABEL_CHARS = 40

DELETED = ("a célula do exercício {name} foi apagada ou perdeu os metadados do nbgrader: restaure-a "
           "(baixe o notebook original de novo, copie a célula do exercício {name} para o lugar dela "
           "e cole a sua solução dentro)")
NOT_DEFINED = ("a célula do exercício {name} não define mais a função {name} (foi renomeada, apagada ou "
               "trocada por uma atribuição?): mantenha o `def {name}(...)` com esse nome e esses "
               "parâmetros, como no notebook original")


class SubmissionError(Exception):
    """The notebook cannot be graded; the message is one line."""


@dataclass
class Submission:
    path: Path
    assignment_id: str
    points: dict[str, float]      # grade_id -> points, from the instructor's build, not the file
    cells: list[str]              # code the worker runs: setup cells, then the solution cells
    cell_of: dict[str, int]       # exercise function -> index in ``cells``
    attachments_dir: Path | None = None  # where the files handed in with the notebook are
    attachments: dict[str, str | None] | None = None  # file name -> sha256 (None: missing)
    labels: list[str] | None = None  # how the student finds each of ``cells`` in the notebook
    broken: dict[str, str] = field(default_factory=dict)  # exercise function -> what to restore


def assignment_of(path: Path) -> str:
    """The assignment a notebook belongs to, from its file name: ``a2_convolucao.ipynb``, or an
    LMS name that ends with it (``Ana Souza_123_assignsubmission_file_a2_convolucao.ipynb``)."""
    stem = path.stem
    known = assignment_ids()
    if stem in known:
        return stem
    matches = [a for a in known if stem.endswith("_" + a) or stem.endswith(" " + a)]
    if len(matches) == 1:
        return matches[0]
    raise SubmissionError(
        f"não foi possível saber a tarefa pelo nome do arquivo {path.name!r}: "
        f"o nome deve ser um de {', '.join(a + '.ipynb' for a in known)}"
    )


@functools.lru_cache(maxsize=None)
def _points(assignment_id: str) -> tuple:
    return tuple(exercises(build_source_notebook(assignment_id)).items())


@functools.lru_cache(maxsize=None)
def _functions(assignment_id: str) -> frozenset:
    return frozenset(exercise_functions(build_source_notebook(assignment_id)))


def attachment_hashes(assignment_id: str, folder: Path) -> dict[str, str | None]:
    """sha256 of each file the assignment's profile says is handed in beside the notebook (None
    when missing or too large): part of the grading cache key, so that a new file is graded again."""
    hashes = {}
    for name in load_profile(assignment_id).handed_in:
        path = folder / name
        ok = path.is_file() and path.stat().st_size <= MAX_ATTACHMENT_BYTES
        hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest() if ok else None
    return hashes


def assignment_points(assignment_id: str) -> dict[str, float]:
    """grade_id -> points of an assignment, from the instructor's build (cached per process)."""
    return dict(_points(assignment_id))


def _defines(source: str, name: str) -> bool | None:
    """Whether the cell defines function ``name`` at top level; None when it does not parse."""
    try:
        tree = ast.parse("\n".join(l for l in source.splitlines() if not l.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return None
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in tree.body)


def load_submission(path: Path, attachments_dir: Path | None = None) -> Submission:
    """The notebook at ``path``; the files handed in with it are in ``attachments_dir``
    (default: the notebook's folder)."""
    path = Path(path)
    if not path.is_file():
        raise SubmissionError(f"arquivo não encontrado: {path}")
    assignment_id = assignment_of(path)
    try:
        notebook = nbformat.read(path, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, UnicodeDecodeError) as error:
        raise SubmissionError(f"{path.name} não é um notebook válido (JSON ilegível): {str(error).splitlines()[0]}") from None
    except Exception as error:  # noqa: BLE001 - nbformat raises many kinds for broken files
        raise SubmissionError(f"{path.name} não é um notebook válido: {str(error).splitlines()[0]}") from None

    points = assignment_points(assignment_id)
    functions = _functions(assignment_id)
    code_cells = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    solutions = {}
    for cell in code_cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and grade_id.endswith(SOLUTION_SUFFIX):
            solutions[grade_id[: -len(SOLUTION_SUFFIX)]] = cell
    # A broken exercise costs that exercise only: its tests fail with what to restore.
    broken = {}
    for name in sorted(functions):
        if name not in solutions:
            broken[name] = DELETED.format(name=name)
        elif _defines(solutions[name].source, name) is False:
            broken[name] = NOT_DEFINED.format(name=name)

    first_solution = next((i for i, c in enumerate(code_cells) if c in solutions.values()), len(code_cells))
    setup = [c.source for c in code_cells[:first_solution] if not c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    cells, cell_of, labels = list(setup), {}, [_setup_label(source) for source in setup]
    for name in points:
        # A cell that no longer defines its function still runs (what it defines may be used by
        # other exercises); only a deleted one is left out.
        if name in functions and name in solutions:
            cell_of[name] = len(cells)
            cells.append(solutions[name].source)
            labels.append(f"célula do exercício {name}")
    folder = Path(attachments_dir) if attachments_dir is not None else path.parent
    return Submission(path, assignment_id, points, cells, cell_of, folder, attachment_hashes(assignment_id, folder),
                      labels, broken)


def _setup_label(source: str) -> str:
    """A cell before the exercises, as the student finds it: by its first line."""
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    if not first:
        return "célula vazia antes dos exercícios"
    if len(first) > LABEL_CHARS:
        first = first[: LABEL_CHARS - 3] + "..."
    return f'célula que começa com "{first}"'


def with_cells(notebook, replacements: dict[str, str]):
    """A copy of ``notebook`` whose solution cells for the functions named in ``replacements``
    hold that code instead (function name -> source): a simulated student's notebook."""
    notebook = nbformat.from_dict(notebook)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.endswith(SOLUTION_SUFFIX) and grade_id[: -len(SOLUTION_SUFFIX)] in replacements:
            cell.source = replacements[grade_id[: -len(SOLUTION_SUFFIX)]]
    return notebook
