"""`dlgrade demo`: the course workflow end to end, offline, in a temporary folder.

A fresh course (`dlgrade init`); before the deadline, two students submit from their notebooks
(`dlhelpers.enviar`) to the grading service (`dlgrade serve`, its own process) and read the
official verdict; after it, seven simulated students of one assignment whose notebooks
arrive as Moodle's "download all submissions" zip: the reference answer, the untouched stubs,
a half-right notebook, honest loop-based code, a disguised copy of it, a cheater and a broken
file; then `nbgrader zip_collect`, `dlgrade autograde` in parallel with its progress bar,
`nbgrader generate_feedback`, `nbgrader export`, `dlgrade report` and `dlgrade moodle` (on a
grading worksheet as Moodle gives it); at the end a summary table and a histogram of the
scores (PNG).
"""
from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

import nbformat
from tqdm import tqdm

from autograder.course.create import init_course
from autograder.course.folder import run_nbgrader
from autograder.grading.submission import with_cells
from autograder.instructor.class_report import write_report
from autograder.instructor.moodle_return import moodle_return
from autograder.parallel.autograde import autograde
from autograder.service.tokens import write_tokens

ASSIGNMENT = "a2_convolucao"
SERVICE_START_TIMEOUT = 300  # the service's Dask cluster starts slowly on a loaded machine
STUDENTS = Path(__file__).with_name("students.toml")


def demo_cells() -> dict[str, dict[str, str]]:
    """The code of the demo's simulated students (students.toml): kind of student
    ("honest", "half_right", "copied", "cheat") -> function -> the source they wrote."""
    return tomllib.loads(STUDENTS.read_text(encoding="utf-8"))


def simulated_submissions(course: Path, assignment: str = ASSIGNMENT) -> dict[str, tuple[str, bytes]]:
    """Moodle entry name -> (what the student did, the file's bytes)."""
    source = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    cells = demo_cells()
    students = {
        "Ana Souza_1001": ("resposta completa", source),
        "Bruno Lima_1002": ("não fez nada", release),
        "Carla Dias_1003": ("meio certa", with_cells(source, cells["half_right"])),
        "Davi Rocha_1004": ("tentou trapacear", with_cells(source, cells["cheat"])),
        "Elis Prado_1005": ("laços aninhados", with_cells(source, cells["honest"])),
        "Gabi Nunes_1007": ("copiou a conv_forward da Elis", with_cells(with_cells(source, cells["honest"]),
                                                                         cells["copied"])),
    }
    files = {
        f"{who}_assignsubmission_file_{assignment}.ipynb": (what, nbformat.writes(nb).encode())
        for who, (what, nb) in students.items()
    }
    # A broken upload, under the name the student gave it.
    files["Fabio Reis_1006_assignsubmission_file_tarefa 2 (1).ipynb"] = ("arquivo corrompido", b'{"cells": [')
    return files


def moodle_zip(course: Path, assignment: str, files: dict[str, bytes]) -> Path:
    """Writes Moodle's export zip where `nbgrader zip_collect` looks for it."""
    archive = course / "downloaded" / assignment / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    path = archive / f"moodle-{assignment}.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        for entry, content in files.items():
            bundle.writestr(entry, content)
    return path


def moodle_worksheet(path: Path, participants: dict[str, str]) -> Path:
    """The grading worksheet Moodle (in Brazilian Portuguese) gives for download: participant
    id -> full name; a class of 10-point grades, nothing graded in Moodle yet."""
    header = ["Identificador", "Nome completo", "Endereço de email", "Status", "Nota", "Nota máxima",
              "Nota pode ser alterada", "Última modificação (envio)", "Última modificação (nota)",
              "Comentários de feedback"]
    with open(path, "w", newline="", encoding="utf-8-sig") as stream:  # Moodle writes a BOM
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        for participant, name in participants.items():
            email = name.lower().replace(" ", ".") + "@example.edu.br"
            writer.writerow([f"Participante{participant}", name, email, "Enviado para avaliação", "", "10,00", "Sim",
                             "segunda-feira, 7 abril 2025, 22:15", "-", ""])
    return path


def read_grades(csv_path: Path) -> list[dict]:
    with open(csv_path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def histogram(rows: list[dict], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    scores = [float(r["score"]) for r in rows]
    maximum = max(float(r["max_score"]) for r in rows)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(scores, bins=[x * maximum / 10 for x in range(11)], color="#3b7dd8", edgecolor="white")
    ax.set_xlabel(f"nota (de {maximum:g})")
    ax.set_ylabel("estudantes")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # people come in whole numbers
    ax.set_title(f"{ASSIGNMENT}: distribuição das notas")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def before_the_deadline(course: Path, folder: Path, files: dict[str, tuple[str, bytes]],
                        who: dict[str, str]) -> dict[str, float]:
    """Students ``who`` (id -> name) submit their Moodle notebook to `dlgrade serve` with
    `dlhelpers.enviar`, as from the notebook's submit cell; returns id -> the service's score."""
    from dlhelpers.submit import enviar

    roster = folder / "turma.csv"
    roster.write_text("id,first_name,last_name\n" + "".join(
        f"{sid},{name.split()[0]},{name.split()[-1]}\n" for sid, name in who.items()), encoding="utf-8")
    issued = folder / "tokens.csv"
    write_tokens(course, issued, roster=roster)
    with open(issued, newline="", encoding="utf-8") as handle:
        tokens = {row["student_id"]: row["token"] for row in csv.DictReader(handle)}
    log_path = folder / "serve.log"
    with open(log_path, "w") as log:
        service = subprocess.Popen(
            [sys.executable, "-c", "import sys; from autograder.cli import main; sys.exit(main())",
             "serve", "--course", str(course), "--port", "0", "--workers", "2"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = service_url(service, log_path)
        print(f"serviço no ar em {url} (tokens dos estudantes em {issued}; registro em {log_path})")
        scores = {}
        for sid, name in who.items():
            path = folder / "notebooks" / sid / f"{ASSIGNMENT}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(next(content for entry, (_, content) in files.items() if f"_{sid}_" in entry))
            print(f"\n{name} roda a célula de envio do notebook:", flush=True)
            scores[sid] = enviar(ASSIGNMENT, url=url, token=tokens[sid], caminho=path)["score"]
        return scores
    finally:
        service.send_signal(signal.SIGTERM)  # stops taking submissions, then its cluster
        try:
            service.wait(timeout=120)
        finally:
            try:
                os.killpg(service.pid, signal.SIGKILL)  # whatever of its cluster is left
            except ProcessLookupError:
                pass


def service_url(service: subprocess.Popen, log_path: Path) -> str:
    """The address `dlgrade serve` prints once it listens."""
    deadline = time.monotonic() + SERVICE_START_TIMEOUT
    while time.monotonic() < deadline:
        found = re.search(r"listening on (http://\S+)", log_path.read_text())
        if found:
            return found.group(1)
        if service.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"dlgrade serve did not start:\n{log_path.read_text()}")


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(keep: Path | None = None) -> int:
    started = time.perf_counter()
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="dlgrade-demo-"))
    course = folder / "curso"
    step(f"dlgrade init {course}")
    built = init_course(course, progress=lambda steps: tqdm(total=steps, desc="Montando os notebooks", unit=" etapas",
                                                            file=sys.stderr, dynamic_ncols=True))
    print(f"notebooks prontos: {', '.join(built)}")

    files = simulated_submissions(course)
    early = {"1001": "Ana Souza", "1003": "Carla Dias"}
    step(f"antes do prazo: dlgrade serve; {' e '.join(early.values())} enviam {ASSIGNMENT} de dentro do notebook")
    served = before_the_deadline(course, folder, files, early)

    step(f"{ASSIGNMENT}: sete entregas chegam num zip do Moodle")
    zip_path = moodle_zip(course, ASSIGNMENT, {name: content for name, (_, content) in files.items()})
    for name, (what, _) in files.items():
        print(f"  {name:<62} {what}")

    step(f"nbgrader zip_collect {ASSIGNMENT}")
    run_nbgrader(course, "zip_collect", ASSIGNMENT, "--force")
    print(f"{zip_path.name} -> {course / 'submitted'}")

    step(f"dlgrade autograde {ASSIGNMENT} --workers 2")
    status = autograde(ASSIGNMENT, course, workers=2, force=True)

    step(f"nbgrader generate_feedback {ASSIGNMENT} e nbgrader export")
    csv_path = course / "grades.csv"
    commands = [("generate_feedback", ASSIGNMENT, "--force"), ("export", "--to", str(csv_path))]
    for command in tqdm(commands, desc="Devolutivas e notas", unit=" comandos", file=sys.stderr, dynamic_ncols=True):
        run_nbgrader(course, *command)
    rows = [r for r in read_grades(csv_path) if r["assignment"] == ASSIGNMENT]
    png = histogram(rows, course / f"notas-{ASSIGNMENT}.png")

    step(f"dlgrade report {ASSIGNMENT}")
    report_started = time.perf_counter()
    page, numbers = write_report(course, ASSIGNMENT)
    print(f"relatório da turma em {time.perf_counter() - report_started:.1f} s: "
          f"{len(numbers['misconceptions'])} dicas de diagnóstico, {len(numbers['similar_pairs'])} pares parecidos")

    step(f"dlgrade moodle {ASSIGNMENT} --worksheet ...: notas e devolutivas de volta ao Moodle")
    participants = {name.split("_")[1]: name.split("_")[0] for name in files}
    participants["1008"] = "Hugo Melo"  # enrolled in Moodle, sent nothing
    worksheet = moodle_worksheet(folder / f"Notas-{ASSIGNMENT}.csv", participants)
    returned = moodle_return(ASSIGNMENT, course, worksheet, folder / "moodle")
    print(f"planilha do Moodle com {len(returned.graded)} notas (de 0 a 10): {returned.worksheet}")
    print(f"devolutivas para o upload em zip do Moodle: {returned.feedback_zip}")

    step("Resumo")
    what_by_id = {name.split("_")[1]: what for name, (what, _) in files.items()}
    print(f"{'estudante':<18}{'id':>6}{'nota':>8}{'máx.':>6}  entrega")
    for row in sorted(rows, key=lambda r: r["student_id"]):
        name = f"{row['first_name']} {row['last_name']}".strip() or row["student_id"]
        print(f"{name:<18}{row['student_id']:>6}{float(row['score']):>8.2f}{float(row['max_score']):>6g}  "
              f"{what_by_id.get(row['student_id'], '')}")
    final = {row["student_id"]: float(row["score"]) for row in rows}
    print("\nnota do serviço antes do prazo = nota final: " + ", ".join(
        f"{early[sid]} {served[sid]:g} = {final.get(sid, float('nan')):g}" for sid in early))
    print(f"\nnotas (CSV para o Moodle): {csv_path}")
    print(f"histograma:                {png}")
    print(f"devolutivas (HTML):        {course / 'feedback'}")
    print(f"relatório da turma:        {page}")
    print(f"para o Moodle:             {returned.worksheet}, {returned.feedback_zip}")
    print(f"curso:                     {course}")
    print(f"tempo total: {time.perf_counter() - started:.0f} s")
    # The broken upload is expected to fail: the demo shows that the batch goes on.
    return 0 if status in (0, 1) else status
