"""The `dlgrade` command line."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


STORE_HELP = ("the service's database, an SQLAlchemy URL (default: the course's gradebook server when it has "
              "one, else dlgrade-service.db in the course, SQLite)")

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dlgrade",
        description="Auto-graded Deep Learning II exercises: build, check and grade the notebooks.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser("demo", help="run the whole course workflow offline on simulated students")
    demo.add_argument("--keep", type=Path, help="build the demo course in this folder and keep it")
    init = commands.add_parser(
        "init", help="create an nbgrader course directory with every assignment built and released"
    )
    init.add_argument("directory", type=Path, help="the course directory to create")
    init.add_argument(
        "--rebuild", action="store_true",
        help="on an existing course, regenerate only source/ and release/ (submissions and grades are kept)",
    )
    init.add_argument("--assignment", action="append", metavar="ID", help="build only this assignment (repeatable)")
    init.add_argument("--db-url", help="the gradebook's SQLAlchemy URL (default: gradebook.db, SQLite); "
                      "e.g. postgresql+psycopg://user@host/gradebook")
    init.add_argument("--helpers-url", metavar="URL_OR_PATH",
                      help="where a notebook opened alone (on Colab) installs the helper kit from: a link to the "
                           "wheel release/<id>/dlhelpers-*.whl that init writes (a Google Drive share link works) "
                           "or a path (e.g. /content/drive/MyDrive/...); default: the wheel uploaded beside it")
    init.add_argument("--exchange", action="store_true",
                      help="students fetch and submit through nbgrader's exchange (on a JupyterHub), in the "
                           "course's exchange/ folder, writable by every user; default: they hand in "
                           "through the LMS (nbgrader zip_collect) and exchange/ stays empty")
    batch = commands.add_parser("autograde", help="autograde every submission of an assignment in parallel")
    batch.add_argument("assignment")
    batch.add_argument("--course", type=Path, default=Path("."), help="the course directory (default: here)")
    batch.add_argument("--workers", type=int, default=2,
                       help="processes of the local Dask cluster (default 2; ignored with --scheduler)")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="a Dask scheduler (tcp://HOST:PORT) whose workers grade; they need this package "
                            "installed, not the course folder")
    batch.add_argument("--force", action="store_true", help="passed to nbgrader autograde: regrade everything")
    report = commands.add_parser("report", help="after autograde: the class report (HTML page, or JSON)")
    report.add_argument("assignment")
    report.add_argument("--course", type=Path, default=Path("."), help="the course directory (default: here)")
    report.add_argument("--json", action="store_true", help="also print the report's numbers as one JSON object")
    moodle = commands.add_parser("moodle", help="grades into Moodle's grading worksheet, feedback into a zip for Moodle")
    moodle.add_argument("assignment")
    moodle.add_argument("--worksheet", type=Path, required=True, help="the grading worksheet downloaded from Moodle (CSV)")
    moodle.add_argument("--course", type=Path, default=Path("."), help="the course directory (default: here)")
    moodle.add_argument("--out", type=Path, default=Path("moodle"), help="where to write the files to upload "
                        "(default: ./moodle)")
    tokens = commands.add_parser("tokens", help="one secret per student for the grading service (a CSV to hand out)")
    tokens.add_argument("--course", type=Path, default=Path("."), help="the course directory (default: here)")
    tokens.add_argument("--students", type=Path, metavar="ROSTER.csv",
                        help="add these students to the gradebook first (nbgrader's roster columns: id, first_name, "
                             "last_name, email, lms_user_id)")
    tokens.add_argument("--url", metavar="BASE", help="the service's address: adds each student's personal link")
    tokens.add_argument("--out", type=Path, required=True, metavar="FILE.csv", help="where to write the tokens issued")
    tokens.add_argument("--rotate", metavar="STUDENT_ID", help="replace this student's token (a leaked one)")
    tokens.add_argument("--db-url", help=STORE_HELP)
    serve = commands.add_parser("serve", help="official grading before the deadline: students submit, the trusted "
                                "grader answers (until SIGTERM or Ctrl-C)")
    serve.add_argument("--course", type=Path, default=Path("."), help="the course directory (default: here)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this "
                       "machine only; put HTTPS in front of anything else, see docs/serve.md)")
    serve.add_argument("--port", type=int, default=None, help="(default: 8700, or the port of $JUPYTERHUB_SERVICE_URL "
                       "with --hub; 0 picks a free one)")
    where = serve.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2, help="local grading processes (default: 2)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="grade on this Dask cluster instead (tcp://HOST:PORT)")
    serve.add_argument("--hub", action="store_true", help="run as a JupyterHub service (the Hub's users; their API "
                       "tokens are accepted)")
    serve.add_argument("--db-url", help=STORE_HELP)
    collect = commands.add_parser("collect", help="after the deadline: each student's counting submission to the "
                                  "service into submitted/")
    collect.add_argument("assignment")
    collect.add_argument("--course", type=Path, default=Path("."), help="the course directory (default: here)")
    collect.add_argument("--db-url", help=STORE_HELP)
    check = commands.add_parser("check", help="grade one notebook with the trusted grader")
    check.add_argument("notebook", type=Path)
    check.add_argument("--json", action="store_true", help="print exactly one JSON object")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from autograder.demo import workflow as demo

        return demo.run(keep=args.keep)
    if args.command == "init":
        from autograder.authoring.builder import BuildError
        from autograder.course.create import init_course
        from autograder.course.folder import CourseError

        try:
            built = init_course(args.directory, rebuild=args.rebuild, only=args.assignment, db_url=args.db_url,
                                helpers_url=args.helpers_url, exchange=args.exchange)
        except (CourseError, BuildError) as error:
            print(f"dlgrade init: {error}", file=sys.stderr)
            return 1
        print(f"course ready at {args.directory.resolve()}: {', '.join(built)}")
        print("source/<id>/ holds the instructor notebooks, release/<id>/ the student versions "
              "(with the helper kit dlhelpers/ and its wheel).")
        if args.exchange and not args.rebuild:
            print(f"nbgrader's exchange: {(args.directory / 'exchange').resolve()}; the students' nbgrader "
                  "configuration must set c.Exchange.root to it (see docs/large-courses.md).")
        return 0
    if args.command == "autograde":
        from autograder.course.folder import CourseError
        from autograder.parallel.autograde import autograde

        try:
            return autograde(args.assignment, args.course, workers=args.workers, force=args.force,
                             scheduler=args.scheduler)
        except CourseError as error:
            print(f"dlgrade autograde: {error}", file=sys.stderr)
            return 1
    if args.command == "report":
        return report(args.assignment, args.course, as_json=args.json)
    if args.command == "moodle":
        return moodle(args.assignment, args.course, args.worksheet, args.out)
    if args.command == "check":
        return check(args.notebook, as_json=args.json)
    if args.command == "tokens":
        return tokens(args)
    if args.command == "serve":
        return serve(args)
    if args.command == "collect":
        return collect(args)
    raise AssertionError(f"unhandled command {args.command}")


def tokens(args) -> int:
    from autograder.course.folder import CourseError
    from autograder.service.tokens import write_tokens

    try:
        written, kept = write_tokens(args.course, args.out, roster=args.students, url=args.url,
                                     rotate=args.rotate, db_url=args.db_url)
    except (CourseError, OSError) as error:
        print(f"dlgrade tokens: {error}", file=sys.stderr)
        return 1
    print(f"{written} token(s) written to {args.out}; {kept} student(s) keep the token they have "
          "(only its hash is stored, so it is not shown again)")
    return 0


def serve(args) -> int:
    from autograder.course.folder import CourseError
    from autograder.service.serve import serve as run_service

    try:
        return run_service(args.course, host=args.host, port=args.port, workers=args.workers,
                           scheduler=args.scheduler, hub=args.hub, db_url=args.db_url)
    except (CourseError, OSError) as error:
        print(f"dlgrade serve: {error}", file=sys.stderr)
        return 1


def collect(args) -> int:
    from autograder.course.folder import CourseError
    from autograder.service.collect import collect as collect_submissions

    try:
        result = collect_submissions(args.course, args.assignment, db_url=args.db_url)
    except CourseError as error:
        print(f"dlgrade collect: {error}", file=sys.stderr)
        return 1
    print(f"{args.assignment}: {len(result.copied)} submission(s) copied to submitted/, "
          f"{len(result.unchanged)} already there")
    for student, why in sorted(result.skipped.items()):
        print(f"  {student}: {why}", file=sys.stderr)
    if result.copied or result.unchanged:
        print(f"next: dlgrade autograde {args.assignment} (the service's results are reused)")
    return 0


def report(assignment: str, course: Path, as_json: bool) -> int:
    import json
    import time

    from autograder.course.folder import CourseError
    from autograder.instructor.class_report import write_report

    started = time.perf_counter()
    try:
        page, numbers = write_report(course, assignment)
    except CourseError as error:
        print(f"dlgrade report: {error}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(numbers, ensure_ascii=False))
    print(f"report of {assignment} ({numbers['students']} graded) written in "
          f"{time.perf_counter() - started:.1f} s: {page}", file=sys.stderr if as_json else sys.stdout)
    return 0


def moodle(assignment: str, course: Path, worksheet: Path, out: Path) -> int:
    from autograder.course.folder import CourseError
    from autograder.instructor.moodle_return import WorksheetError, moodle_return

    try:
        result = moodle_return(assignment, course, worksheet, out)
    except (CourseError, WorksheetError) as error:
        print(f"dlgrade moodle: {error}", file=sys.stderr)
        return 1
    print(f"worksheet with {len(result.graded)} grades: {result.worksheet}")
    if result.feedback_zip:
        print(f"feedback files for Moodle's zip upload: {result.feedback_zip}")
    if result.blank:
        print(f"left blank (no graded submission): {', '.join(result.blank)}")
    if result.ungraded:
        print(f"of which waiting for grading by hand (formgrader): {', '.join(result.ungraded)}")
    if result.unknown:
        print(f"graded but not in the worksheet: {', '.join(result.unknown)}", file=sys.stderr)
    return 0


def check(notebook: Path, as_json: bool) -> int:
    import contextlib
    import io
    import json

    from autograder.grading.grader import grade_notebook

    from autograder.grading.failures import failure_groups, same_failure_note
    from autograder.grading.submission import SubmissionError

    try:
        # Anything printed while grading (pytest, warnings) must not mix with the JSON on stdout.
        with contextlib.redirect_stdout(io.StringIO()):
            report = grade_notebook(notebook)
    except SubmissionError as error:
        print(f"dlgrade check: {error}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(f"{report['assignment']}: {report['score']:g} / {report['max_score']:g}")
    for grade_id, cell in report["cells"].items():
        passed = sum(t["passed"] for t in cell["tests"])
        print(f"  {grade_id:<24} {cell['score']:>6g} / {cell['max_score']:<4g} ({passed}/{len(cell['tests'])} testes)")
        for group in failure_groups(cell["tests"]):
            note = same_failure_note(group, len(cell["tests"]))
            first = group[0]
            print(f"      ✘ {first['name']}: {(first['message'] or 'falhou').splitlines()[0]}"
                  + (f" ({note})" if note else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
