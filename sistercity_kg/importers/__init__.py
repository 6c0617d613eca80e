"""Importers: cooperation spreadsheets, world twin lists and Wikidata files into the model.

Nobody types Turtle: these read the files users have and produce data that validates
against the shapes, every node derived from the row it came from.

- :mod:`.table` -- agreements and activities spreadsheets (CSV, XLSX with ``[xlsx]``),
  headers in English or Indonesian; :func:`~.table.write_templates` writes the templates.
- :mod:`.twinlist` -- a world list of twin towns (``city1,country1,lat1,lng1,city2,...``).
- :mod:`.wikidata` -- P190 statements from a saved Wikidata SPARQL JSON result or entity
  documents; :func:`~.wikidata.fetch_wikidata` runs the query on an endpoint only when asked
  (``--fetch ENDPOINT``), nothing else reaches the network.
- :mod:`.dates` -- ISO and Indonesian date forms.
- :mod:`.reconcile` -- where sources agree and disagree; :func:`~.reconcile.quickstatements`
  writes what the curated data can add to Wikidata as a QuickStatements patch.

:func:`import_file` tells the kind of file from its header or content.

>>> import sistercity_kg as sck
>>> from sistercity_kg.importers import detect_kind
>>> detect_kind  # doctest: +ELLIPSIS
<function detect_kind at ...>
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..errors import LoadError
from ._common import ImportResult
from .reconcile import ReconciliationReport, quickstatements, reconcile
from .table import import_table, table_kind, write_templates
from .twinlist import TWIN_LIST_COLUMNS, import_twin_list
from .wikidata import fetch_wikidata, import_wikidata, is_wikidata_json

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = [
    "ImportResult",
    "ReconciliationReport",
    "detect_kind",
    "fetch_wikidata",
    "import_file",
    "import_table",
    "import_twin_list",
    "import_wikidata",
    "quickstatements",
    "reconcile",
    "write_templates",
]


def detect_kind(path: str | Path) -> str:
    """``"agreements"``, ``"activities"``, ``"twin-list"``, ``"wikidata"`` or ``"workbook"`` (an XLSX file).

    Raises
    ------
    MissingFileError
        If there is no such file.
    LoadError
        If the header (or JSON content) matches none of the kinds.
    """
    from ..inputs import check_input_file, check_text_file, csv_rows, load_json

    path = check_input_file(path, what="a file to import")
    suffix = path.suffix.lower()
    if suffix == ".json":
        data = load_json(path, what="a Wikidata JSON file")
        if is_wikidata_json(data):
            return "wikidata"
        raise LoadError(f"{path}: JSON, but not Wikidata SPARQL results or entity documents.")
    if suffix in (".xlsx", ".xlsm"):
        return "workbook"
    check_text_file(path, what="a CSV file (UTF-8)")
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            header = next(csv_rows(csv.reader(handle), path), [])
    except UnicodeDecodeError:
        raise LoadError(f"{path}: not UTF-8 text; save the spreadsheet as CSV (UTF-8).") from None
    if tuple(h.strip() for h in header) == TWIN_LIST_COLUMNS:
        return "twin-list"
    kind = table_kind(header) or table_kind(header[0].split(";") if header else [])
    if kind is None:
        raise LoadError(
            f"{path}: cannot tell the kind of file from its header; expected the agreements or activities template "
            f"(see `sistercity-kg template`), a twin list ({','.join(TWIN_LIST_COLUMNS)}) or Wikidata JSON."
        )
    return kind


def import_file(
    kg: KnowledgeGraph,
    path: str | Path,
    *,
    graph: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import any supported file into ``kg``, choosing the importer from :func:`detect_kind`."""
    kind = detect_kind(path)
    if kind == "twin-list":
        return import_twin_list(kg, path, graph=graph, progress=progress)
    if kind == "wikidata":
        return import_wikidata(kg, path, graph=graph)
    return import_table(kg, path, graph=graph)
