"""``sistercity-kg push`` and ``sistercity-kg load``: put a knowledge graph in a SPARQL server or on disk.

Examples
--------
::

    # the bundled graph (plus files) into a server; the password comes from the environment
    export SISTERCITY_KG_PASSWORD=...
    sistercity-kg push http://localhost:8890/sparql --update-url http://localhost:8890/sparql-auth --user sckg
    sistercity-kg push http://localhost:7878/query --update-url http://localhost:7878/update extra.ttl

    # files into an on-disk store (created if missing), each in its own named graph
    sistercity-kg load data.ttl more.trig --store kg-store/

``push`` replaces the server's copies of the pushed graphs, all of them or none: an interrupted
push leaves the server as it was. Passwords are never taken on the command line (they would show
in the process list and the shell history): set ``SISTERCITY_KG_PASSWORD``.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``push`` and ``load`` subcommands."""
    p = subparsers.add_parser("push", help="copy the graph into a SPARQL 1.1 server (all graphs or none)")
    p.add_argument("url", help="the SPARQL query endpoint, e.g. http://localhost:7878/query")
    p.add_argument("files", nargs="*", type=Path, help="RDF files to push with the bundled ontology (default: the bundled data)")
    p.add_argument("--update-url", help="the SPARQL update endpoint (default: the query endpoint)")
    p.add_argument("--graph-store-url", help="a Graph Store Protocol endpoint for bulk loads")
    p.add_argument("--user", help="user name (default: $SISTERCITY_KG_USER); the password is read from $SISTERCITY_KG_PASSWORD")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each request (default: 30)")
    p.add_argument("--store", type=Path, help="push from this on-disk store instead of files")
    p.set_defaults(run=_cmd_push)

    p = subparsers.add_parser("load", help="load RDF files into an on-disk store, each file in one transaction")
    p.add_argument("files", nargs="+", type=Path, help="RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML)")
    p.add_argument("--store", type=Path, required=True, help="the store's folder (created if missing)")
    p.add_argument("--graph", help="named graph for the triples (default: one graph per file, named after it)")
    p.set_defaults(run=_cmd_load)


def _cmd_push(args: argparse.Namespace) -> int:
    from .. import open as open_store
    from ..cli import EXIT_OK, graph_from
    from ..stores.factory import connect

    user = args.user or os.environ.get("SISTERCITY_KG_USER")
    auth = (user, os.environ.get("SISTERCITY_KG_PASSWORD", "")) if user else None
    source = open_store(args.store, read_only=True, create=False) if args.store else graph_from(args.files)
    started = time.perf_counter()
    with source, connect(
        args.url,
        update_endpoint=args.update_url,
        graph_store_endpoint=args.graph_store_url,
        auth=auth,
        timeout=args.timeout,
    ) as target:
        count = source.push(target)
        graphs = len(source.graph_names())
    print(f"Pushed {count} statements in {graphs} graphs to {target.store.query_endpoint} "  # type: ignore[attr-defined]
          f"in {time.perf_counter() - started:.1f} s.")
    return EXIT_OK


def _cmd_load(args: argparse.Namespace) -> int:
    from .. import open as open_store
    from ..cli import EXIT_OK

    with open_store(args.store) as kg:
        for path in args.files:
            added = kg.load_file(path, graph=args.graph)
            print(f"{path}: {added} statements added.")
        print(f"{args.store}: {len(kg)} statements in {len(kg.graph_names())} graphs.")
    return EXIT_OK
