"""The ``sistercity-kg`` command line: a thin layer over the library.

Exit codes
----------
0
    Success (for ``validate``: the data conforms; warnings do not fail it).
1
    ``validate`` found at least one ``sh:Violation``.
2
    Usage error, or an input that could not be read (missing file, bad syntax, unknown format).
    The message is one line naming the file, line and what was expected; ``--debug`` shows the traceback.
3
    An internal error (a bug): one line too, asking for a report; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import Sequence

from ._version import __version__
from .commands import command_modules
from .errors import SisterCityKGError
from .graph import KnowledgeGraph, load
from .summary import summarize

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_VIOLATIONS", "EXIT_ERROR", "EXIT_INTERNAL"]

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3

def graph_from(files: Sequence[Path], *, bundled_data: bool = True) -> KnowledgeGraph:
    """The bundled ontology plus the given files, or plus the bundled data when none are given."""
    kg = load(include_data=bundled_data and not files)
    for path in files:
        kg.load_file(path)
    return kg


def _cmd_summary(args: argparse.Namespace) -> int:
    kg = graph_from(args.files)
    print(summarize(kg, lang=args.lang).text())
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    kg = graph_from(args.files)
    report = kg.validate()
    print(report.to_json() if args.format == "json" else report.text(lang=args.lang))
    return EXIT_OK if report.conforms else EXIT_VIOLATIONS


def _cmd_export(args: argparse.Namespace) -> int:
    kg = graph_from(args.files)
    path = kg.export(args.out, format=args.format)
    print(f"Wrote {len(kg)} statements to {path}.")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="sistercity-kg",
        description="A knowledge graph of paradiplomacy: sub-state actors, agreements and cooperation.",
        epilog="Exit codes: 0 success, 1 validation violations, 2 usage or input error, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("summary", help="what the graph holds and whether it validates (the main job)")
    p.add_argument("files", nargs="*", type=Path, help="RDF files to describe (default: the bundled data)")
    p.add_argument("--lang", default="en", help="label language: en or id (default: en)")
    p.set_defaults(run=_cmd_summary)

    p = sub.add_parser("validate", help="check data against the SHACL shapes")
    p.add_argument("files", nargs="*", type=Path, help="RDF files to validate (default: the bundled data)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="report format (default: text)")
    p.add_argument("--lang", default="en", help="language of the messages: en or id (default: en)")
    p.set_defaults(run=_cmd_validate)

    p = sub.add_parser("export", help="write the graph to a file (Turtle, TriG, N-Triples, N-Quads, JSON-LD)")
    p.add_argument("out", type=Path, help="the file to write; the format comes from its suffix")
    p.add_argument("files", nargs="*", type=Path, help="RDF files to export (default: the bundled data)")
    p.add_argument("--format", default=None, help="turtle, trig, n-triples, n-quads or json-ld")
    p.set_defaults(run=_cmd_export)

    for module in command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return int(args.run(args))
    except SisterCityKGError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"sistercity-kg: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130
    except Exception as exc:  # a bug of ours, not bad input: still one line unless --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"sistercity-kg: internal error: {type(exc).__name__}: {exc} "
            "(run again with --debug for the traceback, and please report it).",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
