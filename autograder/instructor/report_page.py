"""The class report as one self-contained HTML page (Portuguese): a jinja template
(``templates/class_report.html.j2``) and matplotlib plots embedded as PNG data URIs, so the page
can be mailed or attached to Moodle as a single file."""
from __future__ import annotations

import base64
import datetime
import io
from pathlib import Path

import jinja2

from autograder.instructor.class_data import ClassData

TEMPLATES = Path(__file__).parent / "templates"
TOP_TESTS = 15  # the page lists the most failed tests; the JSON has them all
IDENTICAL = 0.999  # pairs this alike are listed as groups of identical code, not side by side
SIDE_BY_SIDE = 20  # the most similar pairs shown side by side; the rest in a table


def identical_groups(pairs: list) -> list[tuple[str, list[str]]]:
    """(grade_id, students) of each group whose code is the same once names and comments are
    normalised: a class where 30 students hand in one shared answer gives one line, not 435 pairs."""
    parent: dict = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for pair in pairs:
        if pair.similarity >= IDENTICAL:
            a, b = ((pair.grade_id, s) for s in pair.students)
            parent[root(a)] = root(b)
    groups: dict = {}
    for node in sorted(parent):
        groups.setdefault(root(node), []).append(node[1])
    return sorted(((g, members) for (g, _), members in groups.items()), key=lambda x: (-len(x[1]), x[0]))


def png_data_uri(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def score_histogram(scores: list[float], maximum: float, title: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    figure, axes = plt.subplots(figsize=(6.4, 3.2))
    axes.hist(scores, bins=[x * maximum / 10 for x in range(11)], color="#3b7dd8", edgecolor="white")
    axes.set_xlabel(f"nota (de {maximum:g})")
    axes.set_ylabel("estudantes")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # people come in whole numbers
    axes.set_title(title)
    figure.tight_layout()
    return png_data_uri(figure)


def exercise_bars(cells: dict[str, dict]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(cells)[::-1]  # top to bottom in the notebook's order
    figure, axes = plt.subplots(figsize=(6.4, 0.45 * len(names) + 1.2))
    positions = range(len(names))
    axes.barh([p + 0.2 for p in positions], [100 * (cells[n]["difficulty"] or 0) for n in names], height=0.4,
              color="#3b7dd8", label="média (% dos pontos)")
    axes.barh([p - 0.2 for p in positions], [100 * (cells[n]["full_marks_share"] or 0) for n in names], height=0.4,
              color="#9cc3f0", label="% com nota cheia")
    axes.set_yticks(list(positions), names)
    axes.set_xlim(0, 100)
    axes.set_xlabel("%")
    axes.legend(loc="lower right", fontsize="small")
    figure.tight_layout()
    return png_data_uri(figure)


def decimal(value: float | None, digits: int = 2) -> str:
    """A number as Brazilian Portuguese writes it: a decimal comma; a dash for None."""
    return "–" if value is None else f"{value:.{digits}f}".replace(".", ",")


def percent(share: float | None) -> str:
    return "–" if share is None else f"{100 * share:.0f}%"


def render(data: ClassData, numbers: dict, pairs: list) -> str:
    """The page's HTML for ``data``, whose ``numbers`` are ``class_report.summary``'s."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                     undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(decimal=decimal, percent=percent)
    label = {s.student: s.label for s in data.students}
    graded = data.graded
    plots = {"scores": None, "exercises": None}
    if graded:
        plots["scores"] = score_histogram([s.score for s in graded], numbers["score"]["max_score"],
                                          f"{data.assignment}: distribuição das notas")
        plots["exercises"] = exercise_bars(numbers["cells"])
    return environment.get_template("class_report.html.j2").render(
        assignment=data.assignment, numbers=numbers, label=label, plots=plots,
        tests=[t for t in numbers["tests"] if t["failed_share"] > 0][:TOP_TESTS],
        identical=identical_groups(pairs), pairs=[p for p in pairs if p.similarity < IDENTICAL],
        all_pairs=pairs, side_by_side=SIDE_BY_SIDE, late=numbers["submissions"]["late"], missing=numbers["submissions"]["missing"],
        not_graded=numbers["submissions"]["not_graded"],
        generated=datetime.datetime.now().strftime("%d/%m/%Y %H:%M"),
    )


def write_page(course: Path, data: ClassData, numbers: dict, pairs: list) -> Path:
    """Writes ``course/reports/<assignment>/index.html`` and returns its path."""
    path = Path(course) / "reports" / data.assignment / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data, numbers, pairs), encoding="utf-8")
    return path
