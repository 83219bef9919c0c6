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
    commands.add_parser("demo", help="run the offline demonstration and print its summary")
    init = commands.add_parser(
        "init", help="create an nbgrader course directory with every assignment built and released"
    )
    init.add_argument("directory", type=Path, help="the course directory to create")
    init.add_argument(
        "--rebuild", action="store_true",
        help="on an existing course, regenerate only source/ and release/ (submissions and grades are kept)",
    )
    init.add_argument("--assignment", action="append", metavar="ID", help="build only this assignment (repeatable)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        from autograder import demo

        return demo.run()
    if args.command == "init":
        from autograder.builder import BuildError
        from autograder.course import CourseError, init_course

        try:
            built = init_course(args.directory, rebuild=args.rebuild, only=args.assignment)
        except (CourseError, BuildError) as error:
            print(f"dlgrade init: {error}", file=sys.stderr)
            return 1
        print(f"course ready at {args.directory.resolve()}: {', '.join(built)}")
        print("source/<id>/ holds the instructor notebooks, release/<id>/ the student versions.")
        return 0
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
