"""The course's command line: ``python -m descent sync | release-stubs``."""

from __future__ import annotations

import argparse
from pathlib import Path

from descent import authoring, stubs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="descent", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."), help="course checkout")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("release-stubs", help="write exercises/ from solutions/")
    sync = sub.add_parser("sync", help="execute solutions, refresh expected outputs and stubs")
    sync.add_argument("--no-run", action="store_true", help="reuse the stored outputs")
    args = parser.parse_args(argv)
    if args.command == "release-stubs":
        written = stubs.release_stubs(args.root / "solutions", args.root / "exercises")
    else:
        written = authoring.sync(args.root, run=not args.no_run)
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
