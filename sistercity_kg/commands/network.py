"""``sistercity-kg network``: draw or export a network projection of the knowledge graph.

Examples
--------
``sistercity-kg network cooperation --out cooperation.png``
    The Bandung–Seoul cooperation network as a figure.
``sistercity-kg network actors --out actors.graphml --status completed``
    Actors and partnerships, counting completed activities only, for Gephi.
``sistercity-kg network fields data.ttl --out fields.html --lang id``
    Actors and fields of another data file, as an offline interactive page in Indonesian.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..network import KINDS

__all__ = ["register"]


def _run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_OK, graph_from
    from ..network import network
    from ..pictures import render

    kg = graph_from(args.files)
    graph = network(
        kg,
        args.kind,
        field=args.field,
        status=args.status,
        as_of=args.as_of,
        keep_undated=not args.dated_only,
        lang=args.lang,
    )
    path = render(graph, args.out, format=args.format, title=args.title)
    print(f"Wrote the {args.kind} network ({graph.number_of_nodes()} nodes, "
          f"{graph.number_of_edges()} links) to {path}.")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``network`` subcommand."""
    p = subparsers.add_parser(
        "network",
        help="draw or export a network: actors, cooperation, fields or policy-transfer",
        description="Project the knowledge graph onto a network and write it as PNG, SVG, HTML "
        "(interactive, works offline), GraphML or GEXF; the format comes from the suffix of --out.",
    )
    p.add_argument("kind", nargs="?", default="actors", choices=KINDS, metavar="KIND",
                   help=f"which network: {', '.join(KINDS)} (default: actors)")
    p.add_argument("files", nargs="*", type=Path, help="RDF files to use (default: the bundled data)")
    p.add_argument("--out", "-o", type=Path, required=True,
                   help="the file to write: .png, .svg, .html, .graphml or .gexf")
    p.add_argument("--format", default=None, help="override the suffix: png, svg, html, graphml or gexf")
    p.add_argument("--field", default=None, help="only this field of cooperation (slug such as culture, or IRI)")
    p.add_argument("--status", default=None, help="only activities with this status (slug such as completed, or IRI)")
    p.add_argument("--as-of", dest="as_of", default=None, metavar="DATE",
                   help="only what had started and not ended by DATE (YYYY-MM-DD); undated items are kept")
    p.add_argument("--dated-only", action="store_true", help="with --as-of, drop items that have no dates")
    p.add_argument("--lang", default="en", help="label language: en or id (default: en)")
    p.add_argument("--title", default=None, help="title of the picture (default: names the data and the network)")
    p.set_defaults(run=_run)
