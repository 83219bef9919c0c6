"""The `dlgrade` command line."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


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
    batch = commands.add_parser("autograde", help="autograde every submission of an assignment in parallel")
    batch.add_argument("assignment")
    batch.add_argument("--course", type=Path, default=Path("."), help="the course directory (default: here)")
    batch.add_argument("--workers", type=int, default=2,
                       help="processes of the local Dask cluster (default 2; ignored with --scheduler)")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="a Dask scheduler (tcp://HOST:PORT) whose workers grade; they need this package "
                            "installed, not the course folder")
    batch.add_argument("--force", action="store_true", help="passed to nbgrader autograde: regrade everything")
    check = commands.add_parser("check", help="grade one notebook with the trusted grader")
    check.add_argument("notebook", type=Path)
    check.add_argument("--json", action="store_true", help="print exactly one JSON object")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from autograder import demo

        return demo.run(keep=args.keep)
    if args.command == "init":
        from autograder.builder import BuildError
        from autograder.course import CourseError, init_course

        try:
            built = init_course(args.directory, rebuild=args.rebuild, only=args.assignment, db_url=args.db_url)
        except (CourseError, BuildError) as error:
            print(f"dlgrade init: {error}", file=sys.stderr)
            return 1
        print(f"course ready at {args.directory.resolve()}: {', '.join(built)}")
        print("source/<id>/ holds the instructor notebooks, release/<id>/ the student versions.")
        return 0
    if args.command == "autograde":
        from autograder.autograde import autograde
        from autograder.course import CourseError

        try:
            return autograde(args.assignment, args.course, workers=args.workers, force=args.force,
                             scheduler=args.scheduler)
        except CourseError as error:
            print(f"dlgrade autograde: {error}", file=sys.stderr)
            return 1
    if args.command == "check":
        return check(args.notebook, as_json=args.json)
    raise AssertionError(f"unhandled command {args.command}")


def check(notebook: Path, as_json: bool) -> int:
    import contextlib
    import io
    import json

    from autograder.grader import grade_notebook
    from autograder.submission import SubmissionError

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
        for test in cell["tests"]:
            if not test["passed"]:
                print(f"      ✘ {test['name']}: {test['message'].splitlines()[0]}")
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
