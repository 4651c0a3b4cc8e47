"""The course's command line: sync, release-stubs, release, pdf, grade, merge, export,
gradescope, race."""

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
    grade.add_argument(
        "--set",
        dest="exercise_set",
        help="the exercise set being graded; all: every set found, each in OUT/SET, with "
        "OUT/course.csv",
    )
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
        "--require-sandbox",
        action="store_true",
        help="stop with an error unless the sandbox works (the default with --isolation auto; "
        "this flag also refuses --isolation process and --allow-unsandboxed)",
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
    grade.add_argument(
        "--feedback", type=Path, help="folder for one HTML and Markdown file per learner"
    )
    grade.add_argument("--due", help="due date and time, e.g. 2026-12-01T23:59 (UTC if no zone)")
    grade.add_argument("--late-per-day", type=float, default=0.0, help="percent per day late")
    grade.add_argument("--late-cap", type=float, default=100.0, help="most percent taken")
    grade.add_argument("--cutoff", help="after this date and time, late work scores zero")
    grade.add_argument("--timestamps", type=Path, help="CSV: student_id, timestamp")
    grade.add_argument("--overrides", type=Path, help="CSV: student_id, function, points, reason")
    grade.add_argument(
        "--merge",
        action="store_true",
        help="regrade: replace these learners' rows in the grades.csv already in --out",
    )
    grade.add_argument("--shard", help="I/N: grade only the I-th of N parts (join: descent merge)")
    join = sub.add_parser("merge", help="join the results of shards graded with --shard")
    join.add_argument("shards", type=Path, nargs="+", help="the shards' --out folders, in order")
    join.add_argument("--out", type=Path, required=True)
    export = sub.add_parser("export", help="grades.csv as an LMS import file")
    export.add_argument("lms", choices=["canvas", "moodle"])
    export.add_argument("grades", type=Path, help="grades.csv written by descent grade")
    export.add_argument(
        "--roster",
        type=Path,
        required=True,
        help="the LMS's export: Canvas gradebook export, or Moodle grading worksheet",
    )
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--assignment", default="descent", help="Canvas: the column's name")
    scope = sub.add_parser("gradescope", help="Gradescope's run_autograder: grade one submission")
    scope.add_argument("--set", dest="exercise_set", help="the assignment's exercise set")
    scope.add_argument(
        "--allow-unsandboxed",
        action="store_true",
        help="grade in a plain process when the sandbox does not work (trusted code only)",
    )
    scope.add_argument("--submission", type=Path, default=Path("/autograder/submission"))
    scope.add_argument(
        "--hidden-visibility",
        choices=["hidden", "after_due_date", "after_published", "visible"],
        default="after_due_date",
        help="when learners see the hidden tests' results",
    )
    scope.add_argument("--late-per-day", type=float, default=0.0, help="percent per day late")
    scope.add_argument("--late-cap", type=float, default=100.0, help="most percent taken")
    scope.add_argument("--results", type=Path, default=Path("/autograder/results"))
    pack = sub.add_parser("gradescope-package", help="build Gradescope's autograder zip")
    pack.add_argument("out", type=Path, help="the zip to write, e.g. autograder.zip")
    pack.add_argument("--set", dest="exercise_set", required=True)
    pack.add_argument(
        "--hidden-visibility",
        choices=["hidden", "after_due_date", "after_published", "visible"],
        default="after_due_date",
    )
    pack.add_argument("--late-per-day", type=float, default=0.0, help="percent per day late")
    pack.add_argument("--late-cap", type=float, default=100.0, help="most percent taken")
    pack.add_argument("--wheels", type=Path, help="folder of wheels for an offline setup.sh")
    race = sub.add_parser("race", help="run the capstone's race in full (instructors)")
    race.add_argument("--out", type=Path, help="default: book/results/race-{gpu,cpu}[-tuned]")
    race.add_argument("--only", nargs="*", default=[], help="optimizers to run (merged)")
    race.add_argument(
        "--tuned",
        action="store_true",
        help="sweep each optimizer's learning rate on held-out images, then run it in full at "
        "the chosen and at the default rate",
    )
    race.add_argument("--epochs", type=int, help="instead of the full run's 350 (tuned: 20)")
    race.add_argument("--sweep-epochs", type=int, help="tuned: epochs of a sweep's run (2)")
    race.add_argument("--train-size", type=int, help="instead of all 60,000 images")
    return parser


def _shard(text: str | None) -> tuple[int, int] | None:
    """``--shard I/N`` as (I, N)."""
    if not text:
        return None
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise SystemExit(f"descent grade: --shard {text}: expected I/N with 1 <= I <= N")
    return int(index), int(count)


def _late_policy(args):
    """The late policy the options give, or None without --due."""
    from descent.grading import late

    if not args.due:
        return None
    cutoff = late.parse_time(args.cutoff) if args.cutoff else None
    return late.Policy(late.parse_time(args.due), args.late_per_day, args.late_cap, cutoff)


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
        from descent.grading import grade, identity, late, overrides, report, sandbox

        if args.require_sandbox and (args.allow_unsandboxed or args.isolation == "process"):
            raise SystemExit(
                "--require-sandbox refuses --allow-unsandboxed and --isolation process"
            )
        try:
            roster = identity.read_roster(args.roster.read_text()) if args.roster else None
            policy = _late_policy(args)
            timestamps = (
                late.read_timestamps(args.timestamps.read_text()) if args.timestamps else None
            )
            changes = overrides.read(args.overrides.read_text()) if args.overrides else []
            run = grade.grade_course if args.exercise_set == "all" else grade.grade
            run(
                args.submissions,
                args.out,
                args.root,
                jobs=args.jobs,
                **({} if args.exercise_set == "all" else {"exercise_set": args.exercise_set}),
                isolation="bwrap" if args.require_sandbox else args.isolation,
                allow_unsandboxed=args.allow_unsandboxed,
                layout=args.layout,
                id_pattern=args.id_pattern,
                roster=roster,
                feedback_dir=args.feedback,
                policy=policy,
                timestamps=timestamps,
                changes=changes,
                merge=args.merge,
                shard=_shard(args.shard),
            )
        except (
            grade.SetMismatch,
            identity.IdentityError,
            sandbox.Unsandboxed,
            sandbox.WrongPackage,
            late.LateError,
            overrides.OverrideError,
            report.MergeError,
        ) as error:
            raise SystemExit(f"descent grade: {error}") from None
        if args.exercise_set == "all":
            written = [args.out / "course.csv"]
        else:
            written = [args.out / "grades.csv", args.out / "summary.txt"]
            print((args.out / "summary.txt").read_text(), end="")
    elif args.command == "merge":
        from descent.grading import merge

        try:
            written = merge.merge(args.shards, args.out)
        except merge.MergeError as error:
            raise SystemExit(f"descent merge: {error}") from None
    elif args.command == "export":
        from descent.grading import export

        totals, points = export.read_totals(args.grades.read_text(encoding="utf-8"))
        roster = args.roster.read_text(encoding="utf-8")
        try:
            if args.lms == "canvas":
                text = export.canvas(roster, totals, args.assignment, points)
            else:
                text = export.moodle(roster, totals)
        except export.ExportError as error:
            raise SystemExit(f"descent export: {error}") from None
        args.out.write_text(text, encoding="utf-8")
        written = [args.out]
    elif args.command == "gradescope-package":
        from descent.grading import gradescope

        written = [
            gradescope.package(
                args.root,
                args.out,
                args.exercise_set,
                args.hidden_visibility,
                args.late_per_day,
                args.late_cap,
                args.wheels,
            )
        ]
    elif args.command == "race":
        from descent import race_cli

        if args.tuned:
            from descent.tuning import Budget

            given = {"epochs": args.epochs, "sweep_epochs": args.sweep_epochs}
            given["train_size"] = args.train_size
            budget = Budget(**{k: v for k, v in given.items() if v is not None})
            written = race_cli.run_tuned(args.root, args.out, args.only, budget)
        else:
            written = race_cli.run(args.root, args.out, args.only, args.epochs, args.train_size)
    else:
        from descent.grading import gradescope

        written = [
            gradescope.run_autograder(
                args.root,
                args.submission,
                args.results,
                args.exercise_set,
                args.allow_unsandboxed,
                args.hidden_visibility,
                args.late_per_day,
                args.late_cap,
            )
        ]
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
