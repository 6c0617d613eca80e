"""``sistercity-kg template``, ``import`` and ``reconcile``: spreadsheets, twin lists and Wikidata files.

Examples
--------
::

    sistercity-kg template my-office/            # agreements.csv, activities.csv, README.md
    sistercity-kg import my-office/agreements.csv my-office/activities.csv --out imported.trig
    sistercity-kg import ../shared/data/twin_cities.csv --out twin-cities.trig
    sistercity-kg reconcile wikidata-p190.json --format markdown
    sistercity-kg reconcile wikidata-p190.json --quickstatements > add-to-wikidata.qs
    sistercity-kg import --fetch https://query.wikidata.org/sparql --items Q10389 Q8684 --save p190.json

``import`` loads the bundled ontology and data, imports each file in order (the kind is told
from its header: agreements, activities, twin list, Wikidata JSON), validates unless
``--no-validate``, prints one summary line per file, and with ``--out`` writes the imported
graphs (only those) to a file. Row errors are listed all at once and exit with status 2.
Long imports show progress on stderr when it is a terminal (not with ``--quiet``).

Nothing reaches the network unless ``--fetch ENDPOINT`` is given: then the P190 query
(``queries/wikidata/p190.rq``, items chosen with ``--items``) is sent to ENDPOINT with a
``--timeout`` (60 s), the answer is saved to ``--save`` (``wikidata-p190.json``) and imported
after the files. ``reconcile --quickstatements`` prints, instead of the table, a QuickStatements
patch of the P190 statements the curated data (``--source GRAPH``) can add to Wikidata.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

__all__ = ["register"]


def _progress(quiet: bool) -> Callable[[int, int], None] | None:
    if quiet or not sys.stderr.isatty():
        return None
    start = time.perf_counter()

    def report(done: int, total: int) -> None:
        rate = done / max(time.perf_counter() - start, 1e-6)
        end = "\n" if done >= total else ""
        print(f"\r  {done}/{total} rows ({rate:,.0f} rows/s)", end=end, file=sys.stderr, flush=True)

    return report


def _cmd_template(args: argparse.Namespace) -> int:
    from ..importers.table import write_templates

    for path in write_templates(args.out_dir, lang=args.lang, xlsx=args.xlsx):
        print(f"Wrote {path}")
    return 0


def _import_all(args: argparse.Namespace):  # -> (KnowledgeGraph, list[ImportResult])
    from ..cli import graph_from
    from ..importers import import_file

    from ..errors import LoadError
    from ..importers.wikidata import fetch_wikidata

    files = list(args.files)
    if args.fetch:
        saved = fetch_wikidata(args.fetch, args.save, items=args.items, timeout=args.timeout)
        if not args.quiet:
            print(f"Fetched {args.fetch} into {saved}")
        files.append(saved)
    if not files:
        raise LoadError("nothing to import: give files, or --fetch ENDPOINT.")
    kg = graph_from([])
    results = []
    for path in files:
        result = import_file(kg, path, graph=args.graph, progress=_progress(args.quiet))
        results.append(result)
        if not args.quiet:
            print(result.summary())
            for reason in result.skipped[:20]:
                print(f"  skipped {reason}")
            if len(result.skipped) > 20:
                print(f"  ... and {len(result.skipped) - 20} more skipped")
    return kg, results


def _cmd_import(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from ..graph import KnowledgeGraph

    kg, results = _import_all(args)
    status = 0
    if not args.no_validate:
        report = kg.validate()
        print(report.text(lang="en") if not report.conforms else "The data conforms to the shapes.")
        status = 0 if report.conforms else 1
    if args.out is not None:
        out = KnowledgeGraph()
        for name in sorted({r.graph for r in results}):
            out._store.extend(kg._store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        path = out.export(args.out, format=args.format)
        print(f"Wrote {len(out)} statements to {path}.")
    return status


def _cmd_reconcile(args: argparse.Namespace) -> int:
    kg, _ = _import_all(args)
    report = kg.reconcile()
    if args.quickstatements:
        from ..importers.reconcile import quickstatements

        print(quickstatements(kg, source=args.source, report=report), end="")
        return 0
    print(report.to_markdown() if args.format == "markdown" else report.to_csv(), end="")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``template``, ``import`` and ``reconcile``."""
    p = subparsers.add_parser("template", help="write empty spreadsheet templates (agreements, activities) with an example row")
    p.add_argument("out_dir", type=Path, help="folder to write agreements.csv, activities.csv and README.md into")
    p.add_argument("--lang", choices=["en", "id"], default="en", help="header language (default: en)")
    p.add_argument("--xlsx", action="store_true", help="also write cooperation.xlsx (needs openpyxl)")
    p.set_defaults(run=_cmd_template)

    for name, run, text in (
        ("import", _cmd_import, "import spreadsheets, a twin list or a Wikidata JSON file into the bundled graph"),
        ("reconcile", _cmd_reconcile, "import files and report where sources agree and disagree about partnerships"),
    ):
        p = subparsers.add_parser(name, help=text)
        p.add_argument("files", nargs="*", type=Path, help="files to import, in order (kind told from the header)")
        p.add_argument("--fetch", metavar="ENDPOINT", default=None,
                       help="also run the Wikidata P190 query on this SPARQL endpoint and import the answer "
                            "(the only option that uses the network)")
        p.add_argument("--items", nargs="+", metavar="QID", default=None,
                       help="with --fetch: the Wikidata items to ask about (default: Q10389 Q8684)")
        p.add_argument("--timeout", type=float, default=60.0, help="with --fetch: seconds to wait (default: 60)")
        p.add_argument("--save", type=Path, default=Path("wikidata-p190.json"),
                       help="with --fetch: where to save the answer (default: wikidata-p190.json)")
        p.add_argument("--graph", default=None, help="named graph IRI for the imported statements")
        p.add_argument("--quiet", action="store_true", help="no progress and no summary lines")
        if name == "import":
            p.add_argument("--out", type=Path, default=None, help="write the imported graphs to this file")
            p.add_argument("--format", default=None, help="output format (default: from the --out suffix)")
            p.add_argument("--no-validate", action="store_true", help="skip SHACL validation (slow for large lists)")
        else:
            p.add_argument("--format", choices=["csv", "markdown"], default="csv", help="report format (default: csv)")
            p.add_argument("--quickstatements", action="store_true",
                           help="print a QuickStatements patch of the P190 statements --source can add to Wikidata")
            p.add_argument("--source", default="https://w3id.org/sistercity-kg/graph/bandung-seoul",
                           help="with --quickstatements: the named graph to take statements from (default: the curated data)")
        p.set_defaults(run=run)
