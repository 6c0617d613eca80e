"""``sistercity-kg report``: the partnership report as one self-contained HTML page or Markdown.

Examples
--------
``sistercity-kg report --out report.html``
    The Bandung–Seoul report (the bundled data), in English.
``sistercity-kg report sckid:partnership/bandung-seoul-sister-city --out laporan.html --lang id``
    The same in Indonesian.
``sistercity-kg report --out report.md``
    As Markdown (the figures left out).
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def _run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_OK, graph_from
    from ..report import write_report

    kg = graph_from(args.files)
    path = write_report(kg, args.out, partnership=args.partnership, format=args.format, lang=args.lang)
    print(f"Wrote the report of {args.partnership} to {path}.")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` subcommand."""
    from ..timeline import DEFAULT_PARTNERSHIP

    p = subparsers.add_parser(
        "report",
        help="write a partnership report (HTML page that works offline, or Markdown)",
        description="Write one self-contained report of a partnership: actors, agreement lifecycle and "
        "timeline, activities with statuses and sources, policy transfer and reciprocity, where sources "
        "disagree, gaps, the network picture and the sources.",
    )
    p.add_argument("partnership", nargs="?", default=DEFAULT_PARTNERSHIP,
                   help=f"IRI or CURIE of the partnership (default: {DEFAULT_PARTNERSHIP})")
    p.add_argument("files", nargs="*", type=Path, help="RDF files to use (default: the bundled data)")
    p.add_argument("--out", "-o", type=Path, required=True, help="the file to write: .html or .md")
    p.add_argument("--format", default=None, choices=("html", "md"), help="override the suffix: html or md")
    p.add_argument("--lang", default="en", choices=("en", "id"), help="language of the text: en or id (default: en)")
    p.set_defaults(run=_run)
