"""The course's command line: sync, release-stubs, release, pdf, grade, gradescope, race."""

from __future__ import annotations

import argparse
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="descent", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."), help="course checkout")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("release-stubs", help="write exercises/ from solutions/")
    sync = sub.add_parser("sync", help="execute solutions, refresh expected outputs and stubs")
    sync.add_argument("--no-run", action="store_true", help="reuse the stored outputs")
    release = sub.add_parser("release", help="write the student edition into OUT_DIR")
    release.add_argument("out_dir", type=Path)
    site = sub.add_parser("instructor-site", help="build the website with the solutions")
    site.add_argument("--out", type=Path, default=Path("_build/instructor"))
    pdf = sub.add_parser("pdf", help="print the built website into one PDF (make pdf)")
    pdf.add_argument("--site", type=Path, default=Path("_build/html"), help="the built website")
    pdf.add_argument("--out", type=Path, default=Path("_build/pdf/descent.pdf"))
    pdf.add_argument("--mathjax", type=Path, help="MathJax 3's npm package folder, if offline")
    grade = sub.add_parser("grade", help="grade submitted notebooks (files or folders)")
    grade.add_argument("submissions", type=Path, nargs="+")
    grade.add_argument("--out", type=Path, required=True, help="folder for the reports")
    grade.add_argument("-j", "--jobs", type=int, default=2, help="submissions graded at once")
    grade.add_argument("--set", dest="exercise_set", help="the exercise set being graded")
    grade.add_argument(
        "--isolation",
        choices=["auto", "bwrap", "process"],
        default="auto",
        help="auto: the sandbox, and refuse to grade when it does not work here",
    )
    grade.add_argument(
        "--allow-unsandboxed",
        action="store_true",
        help="with --isolation auto, grade in plain processes when the sandbox does not work",
    )
    grade.add_argument(
        "--layout",
        choices=["auto", "folder", "canvas", "moodle"],
        default="auto",
        help="where learner ids come from: a folder per learner or the file name (folder), "
        "an LMS download (canvas, moodle); auto: an LMS download if every name fits it",
    )
    grade.add_argument("--id-pattern", help="regular expression with a group (?P<id>...)")
    grade.add_argument("--roster", type=Path, help="CSV of the class: id, name, email")
    scope = sub.add_parser("gradescope", help="Gradescope's run_autograder: grade one submission")
    scope.add_argument("--set", dest="exercise_set", help="the assignment's exercise set")
    scope.add_argument(
        "--allow-unsandboxed",
        action="store_true",
        help="grade in a plain process when the sandbox does not work (trusted code only)",
    )
    scope.add_argument("--submission", type=Path, default=Path("/autograder/submission"))
    scope.add_argument("--results", type=Path, default=Path("/autograder/results"))
    race = sub.add_parser("race", help="run the capstone's race in full (instructors)")
    race.add_argument("--out", type=Path, help="default: book/results/race-gpu or race-cpu")
    race.add_argument("--only", nargs="*", default=[], help="optimizers to run (merged)")
    race.add_argument("--epochs", type=int, help="instead of the full run's 350")
    race.add_argument("--train-size", type=int, help="instead of all 60,000 images")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.command == "release-stubs":
        from descent import stubs

        written = stubs.release_stubs(args.root / "solutions", args.root / "exercises")
    elif args.command == "sync":
        from descent import authoring

        written = authoring.sync(args.root, run=not args.no_run)
    elif args.command == "release":
        from descent import release

        written = [release.release(args.root, args.out_dir)]
    elif args.command == "instructor-site":
        from descent import site

        written = [site.build_instructor_site(args.root.resolve(), args.out.resolve())]
    elif args.command == "pdf":
        from descent import pdf

        written = [pdf.build_pdf(args.root, args.site, args.out, args.mathjax)]
    elif args.command == "grade":
        from descent.grading import grade, identity, sandbox

        try:
            roster = identity.read_roster(args.roster.read_text()) if args.roster else None
            grade.grade(
                args.submissions,
                args.out,
                args.root,
                args.jobs,
                args.exercise_set,
                args.isolation,
                allow_unsandboxed=args.allow_unsandboxed,
                layout=args.layout,
                id_pattern=args.id_pattern,
                roster=roster,
            )
        except (grade.SetMismatch, identity.IdentityError, sandbox.Unsandboxed) as error:
            raise SystemExit(f"descent grade: {error}") from None
        written = [args.out / "grades.csv", args.out / "summary.txt"]
        print((args.out / "summary.txt").read_text(), end="")
    elif args.command == "race":
        from descent import race_cli

        written = race_cli.run(args.root, args.out, args.only, args.epochs, args.train_size)
    else:
        from descent.grading import gradescope

        written = [
            gradescope.run_autograder(args.root, args.submission, args.results, args.exercise_set)
        ]
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
