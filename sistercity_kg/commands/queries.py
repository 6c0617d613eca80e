"""CLI: ``queries`` (list the named queries), ``query`` (run one) and ``infer`` (materialise rules).

Examples (shell)::

    sistercity-kg queries --lang id
    sistercity-kg query cq-interests --param lang=id
    sistercity-kg query cq-fields-of-cooperation --param actor=sckid:actor/bandung-city-government --format csv
    sistercity-kg query my-question.rq --data extra.ttl --format json
    sistercity-kg infer --out with-inferred.trig

Errors (unknown query, bad parameter, unreadable file) are one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from ..errors import ParameterError
from ..namespaces import PREFIXES

__all__ = ["register", "format_table"]


def register(subparsers: Any) -> None:
    """Add the ``queries``, ``query`` and ``infer`` subcommands."""
    p = subparsers.add_parser("queries", help="list the named queries (competency questions and checks)")
    p.add_argument("--lang", default="en", help="language of the questions: en or id (default: en)")
    p.set_defaults(run=_cmd_queries)

    p = subparsers.add_parser("query", help="run a named query or a .rq file")
    p.add_argument("name", metavar="NAME|FILE.rq", help="a query id (see 'queries') or a SPARQL file")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a parameter (repeatable); IRIs as CURIEs such as sckid:actor/bandung-city-government",
    )
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output (default: table)")
    p.add_argument(
        "--data",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="RDF file to query instead of the bundled data (repeatable)",
    )
    p.add_argument("--infer", action="store_true", help="materialise the rules first (see 'infer')")
    p.add_argument(
        "--allow-network", action="store_true", help="let SERVICE clauses call other SPARQL endpoints (refused by default)"
    )
    p.set_defaults(run=_cmd_query)

    p = subparsers.add_parser("infer", help="derive knowledge with the rules of queries/rules/")
    p.add_argument("files", nargs="*", type=Path, help="RDF files (default: the bundled data)")
    p.add_argument("--out", type=Path, default=None, help="also write the graph with its derived graphs (e.g. .trig)")
    p.add_argument(
        "--exclude", action="append", default=[], metavar="RULE",
        help="a rule not to run (repeatable); e.g. partner-reach on a large network, where it is quadratic",
    )
    p.set_defaults(run=_cmd_infer)


def _cmd_queries(args: argparse.Namespace) -> int:
    from ..queries import queries

    items = queries()
    width = max(len(q.id) for q in items)
    for q in items:
        question = q.question.get(args.lang) or q.question.get("en", "")
        params = ", ".join(p.name for p in q.parameters)
        suffix = f"  [{params}]" if params else ""
        print(f"{q.id:<{width}}  {question}{suffix}")
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    from ..cli import graph_from
    from ..queries import resolve

    bindings = _parse_params(args.param)
    named = resolve(args.name)
    if named is not None:
        named.bindings(bindings)  # check the parameters before loading anything
    kg = graph_from(args.data)
    if args.infer:
        kg.infer()
    result = kg.query(named if named is not None else args.name, bindings=bindings, allow_network=args.allow_network)
    if args.format == "csv":
        print(result.to_csv(), end="")
    elif args.format == "json":
        print(result.to_json())
    elif result.boolean is not None:
        print("yes" if result.boolean else "no")
    elif result.graph is not None:
        print(result.graph.serialize(format="turtle"), end="")
    else:
        print(format_table(result.variables, result.rows))
    return 0


def _cmd_infer(args: argparse.Namespace) -> int:
    from ..cli import graph_from

    kg = graph_from(args.files)
    report = kg.infer(exclude=args.exclude)
    print(report.text())
    if args.out is not None:
        path = kg.export(args.out)
        print(f"Wrote {len(kg)} statements to {path}.")
    return 0


def _parse_params(items: list[str]) -> dict[str, str]:
    bindings: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param {item!r}: write it as NAME=VALUE, e.g. --param lang=id.")
        bindings[name.strip()] = value
    return bindings


def format_table(variables: tuple[str, ...], rows: tuple[dict[str, Node], ...], *, width: int | None = None) -> str:
    """Rows as an aligned text table; IRIs shortened with ``PREFIXES``, long cells wrapped.

    >>> from rdflib import URIRef, Literal
    >>> print(format_table(("a", "b"), ({"a": URIRef("https://w3id.org/sistercity-kg/id/actor/x"), "b": Literal("y")},)))
    a              b
    -------------  -
    sckid:actor/x  y
    (1 row)
    """
    if not rows:
        return "(no rows)"
    total = width or shutil.get_terminal_size((120, 24)).columns
    limit = max(20, total // max(1, len(variables)))
    cells = [[_cell(row.get(v)) for v in variables] for row in rows]
    widths = [min(limit, max([len(v)] + [len(c[i]) for c in cells])) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(row, widths)]
        for k in range(max(len(w) for w in wrapped)):
            parts = [(w[k] if k < len(w) else "").ljust(width_) for w, width_ in zip(wrapped, widths)]
            lines.append("  ".join(parts).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        best = max(
            ((p, ns) for p, ns in PREFIXES.items() if text.startswith(ns)),
            key=lambda pn: len(pn[1]),
            default=None,
        )
        return f"{best[0]}:{text[len(best[1]):]}" if best else f"<{text}>"
    return str(term)  # the language was chosen with --param lang=..., so tags are left out
