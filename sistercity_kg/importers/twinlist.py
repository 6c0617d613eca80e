"""Import a world list of twin towns: one CSV row per twinned pair.

The expected columns are ``city1,country1,lat1,lng1,city2,country2,lat2,lng2`` (the
format of the list scraped from Wikipedia's "List of twin towns and sister cities"
pages). Each row becomes, in the named graph ``sckg:twin-cities``:

- two ``sck:Jurisdiction`` nodes with ``sck:country`` (a ``sck:Country`` found or minted by
  name) and coordinates: ``geo:lat`` / ``geo:long`` (``xsd:decimal``) and a
  ``geosparql:hasGeometry`` whose ``geosparql:asWKT`` is ``POINT(long lat)``;
- the government of each (see :mod:`sistercity_kg.importers._common`: the existing actor
  that governs the jurisdiction, else a generic ``sck:SubStateActor`` "Government of X (Country)"),
  because a partnership is between actors;
- a ``sck:Partnership`` of type ``sckc:partnership-type/twinning`` between the two actors;
- the row as a ``sck:Passage`` (locator ``row N``, quote the CSV line) that every node above
  is ``prov:wasDerivedFrom``.

Same-name cities in different countries stay distinct (the country is part of the IRI);
a city named in many rows is one node, and so is a city spelled two ways that give the same
slug ("Târgu-Jiu" / "Târgu Jiu"; the second spelling becomes a ``skos:altLabel``), so a pair the
list states from both sides is one partnership (the 25,917 rows of the 2026 list give 25,903
partnerships). Rows that cannot make valid data are skipped and
listed in :attr:`ImportResult.skipped`: a missing city or country, or a city twinned with itself.
The list has no dates, agreement types or sources of its own, so none are invented.

The whole list is built in Python and added in one transaction (about 600,000 quads for
25,917 rows, a few seconds).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pyoxigraph as ox

from ..errors import LoadError
from ._common import (
    A,
    DERIVED,
    GEO,
    GSP,
    SCKC,
    SCKID,
    XSD,
    GraphIndex,
    ImportResult,
    Quads,
    add_row_passage,
    add_source,
    default_graph,
    file_digest,
    local_slug,
    pair_partnership,
    sck,
    source_document_iri,
)

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["TWIN_LIST_COLUMNS", "import_twin_list", "TWINNING"]

#: The header of a twin list, in order.
TWIN_LIST_COLUMNS = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")

#: The partnership type every pair of the list gets.
TWINNING = SCKC + "partnership-type/twinning"

_DECIMAL = ox.NamedNode(XSD + "decimal")
_WKT = ox.NamedNode(GSP + "wktLiteral")


def _decimal(text: str) -> ox.Literal | None:
    try:
        float(text)
    except ValueError:
        return None
    return ox.Literal(text.strip(), datatype=_DECIMAL)


def _line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def import_twin_list(
    kg: KnowledgeGraph,
    path: str | Path,
    *,
    graph: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a twin list into ``kg`` (all rows in one transaction).

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to add to; countries, jurisdictions and governments it already holds are reused.
    path : str or Path
        The CSV file.
    graph : str, optional
        The named graph; ``sckg:twin-cities`` by default.
    progress : callable, optional
        Called as ``progress(rows_done, rows_total)`` while rows are read.

    Returns
    -------
    ImportResult
        Rows read, quads added and rows skipped (with the reason).

    Raises
    ------
    MissingFileError
        If there is no such file.
    LoadError
        If the header is not the twin-list header.
    """
    from ..inputs import check_text_file, csv_rows

    path = check_text_file(path, what="a twin list (CSV, UTF-8)")
    target = graph or default_graph("twin-cities")
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv_rows(csv.reader(handle), path)
        header = next(reader, [])
        if tuple(h.strip() for h in header) != TWIN_LIST_COLUMNS:
            raise LoadError(
                f"{path}: not a twin list; expected the header {','.join(TWIN_LIST_COLUMNS)}, got {','.join(header)}."
            )
        rows = list(reader)
    result = ImportResult(kind="twin-list", path=path, graph=target, rows=len(rows))
    quads = Quads(target)
    index = GraphIndex(kg)
    source = source_document_iri(path, file_digest(path))
    add_source(quads, source, path, f"World list of twin towns and sister cities ({path.name})")
    twinning = ox.NamedNode(TWINNING)
    partner, ptype = sck("partner"), sck("partnershipType")
    lat_p, long_p = ox.NamedNode(GEO + "lat"), ox.NamedNode(GEO + "long")
    has_geometry, as_wkt = ox.NamedNode(GSP + "hasGeometry"), ox.NamedNode(GSP + "asWKT")
    geometry_class = ox.NamedNode(GSP + "Geometry")
    placed: set[str] = set()
    total = len(rows)
    for number, values in enumerate(rows, start=2):
        if progress is not None and number % 1000 == 0:
            progress(number - 1, total)
        values = [v.strip() for v in values] + [""] * (8 - len(values))
        city1, country1, lat1, lng1, city2, country2, lat2, lng2 = values[:8]
        missing = [c for c, v in zip(("city1", "country1", "city2", "country2"), (city1, country1, city2, country2)) if not v]
        if missing:
            result.skipped.append(f"row {number}: no {' or '.join(missing)}")
            continue
        nameless = [f"{c} {v!r}" for c, v in zip(("city1", "country1", "city2", "country2"), (city1, country1, city2, country2)) if not any(ch.isalnum() for ch in v)]
        if nameless:  # e.g. "-": no identifier can be made from it (found by fuzzing)
            result.skipped.append(f"row {number}: {' and '.join(nameless)} has no letter or digit")
            continue
        if (city1.casefold(), country1.casefold()) == (city2.casefold(), country2.casefold()):
            result.skipped.append(f"row {number}: {city1} ({country1}) is twinned with itself")
            continue
        passage = add_row_passage(quads, source, number, _line(values[:8]), "en")
        ends = []
        for city, country_name, lat, lng in ((city1, country1, lat1, lng1), (city2, country2, lat2, lng2)):
            country = index.country(quads, country_name)
            jurisdiction = index.jurisdiction(quads, city, country, country_name, passage)
            actor = index.government_of(quads, jurisdiction, city, country, country_name, passage)
            if jurisdiction.value not in placed:
                placed.add(jurisdiction.value)
                lat_l, lng_l = _decimal(lat), _decimal(lng)
                if lat_l is not None and lng_l is not None:
                    quads.add(jurisdiction, lat_p, lat_l)
                    quads.add(jurisdiction, long_p, lng_l)
                    geometry = ox.NamedNode(f"{SCKID}geometry/{local_slug(jurisdiction)}")
                    quads.add(jurisdiction, has_geometry, geometry)
                    quads.add(geometry, A, geometry_class)
                    quads.add(geometry, as_wkt, ox.Literal(f"POINT({lng_l.value} {lat_l.value})", datatype=_WKT))
            ends.append((jurisdiction, actor, city, country_name))
        if ends[0][0] == ends[1][0]:  # two spellings of one place (e.g. "Târgu-Jiu", "Târgu Jiu")
            result.skipped.append(f"row {number}: {city1} and {city2} ({country1}) name the same place")
            continue
        ends.sort(key=lambda e: local_slug(e[0]))
        node = pair_partnership(ends[0][0], ends[1][0], "twinning")
        quads.add(node, A, sck("Partnership"))
        index.label(quads, node, f"Twinning of {ends[0][2]} ({ends[0][3]}) and {ends[1][2]} ({ends[1][3]})", "en")
        quads.add(node, partner, ends[0][1])
        quads.add(node, partner, ends[1][1])
        quads.add(node, ptype, twinning)
        quads.add(node, DERIVED, passage)
    if progress is not None:
        progress(total, total)
    result.added = quads.commit(kg)
    return result
