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

The whole list is added in one transaction (about 600,000 quads for 25,917 rows): an error,
or Ctrl-C, part-way adds nothing. On an embedded store Oxigraph parses and stores the
statements in a thread while the rows are still being made (see
:meth:`~sistercity_kg.importers._common.Quads.stream`): about 3.7 s of CPU for the whole
list (1.8 s making the lines, 1.9 s in Oxigraph), about 2.1 s of wall time with two free cores.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pyoxigraph as ox

from ..errors import LoadError
from ..namespaces import slugify
from ._common import (
    DERIVED,
    GEO,
    GSP,
    RDF,
    SCK,
    SCKC,
    SCKID,
    XSD,
    GraphIndex,
    ImportResult,
    Quads,
    add_source,
    default_graph,
    file_digest,
    local_slug,
    nt,
    nt_string,
    partnership_iri,
    passage_iri,
    source_document_iri,
)

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["TWIN_LIST_COLUMNS", "import_twin_list", "TWINNING"]

#: The header of a twin list, in order.
TWIN_LIST_COLUMNS = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")

#: The partnership type every pair of the list gets.
TWINNING = SCKC + "partnership-type/twinning"

# The N-Triples text of the constant terms (rows are written as text: see Quads.add_nt).
_TYPE = f"<{RDF}type>"
_DERIVED = nt(DERIVED)
_PASSAGE, _IN_DOCUMENT, _LOCATOR, _QUOTE = (f"<{SCK}{n}>" for n in ("Passage", "inDocument", "locator", "quote"))
_PARTNERSHIP, _PARTNER, _PARTNERSHIP_TYPE = (f"<{SCK}{n}>" for n in ("Partnership", "partner", "partnershipType"))
_LAT, _LONG = f"<{GEO}lat>", f"<{GEO}long>"
_HAS_GEOMETRY, _AS_WKT, _GEOMETRY = f"<{GSP}hasGeometry>", f"<{GSP}asWKT>", f"<{GSP}Geometry>"
_DECIMAL = f"^^<{XSD}decimal>"
_WKT = f"^^<{GSP}wktLiteral>"
_NAMED = ("city1", "country1", "city2", "country2")  # the columns a row cannot do without


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _LineWriter:
    """The CSV text of a row, as ``csv.writer`` writes it (one writer reused for every row)."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        # A real line terminator, stripped afterwards: with lineterminator="" the writer would
        # not quote a cell holding a line break, and the quote would no longer be CSV.
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def __call__(self, values: list[str]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(values)
        return self._buffer.getvalue()[:-2]


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
    source_slug = local_slug(source)
    twinning = f"<{TWINNING}>"
    kind_slug = slugify("twinning")
    line = _LineWriter()
    emit = quads.add_line  # f"{subject} {predicate} {object} ." (see Quads.add_nt)
    # the constant tails of the statements every row makes
    source_tail = f"{_IN_DOCUMENT} {nt(source)} ."
    twinning_tail = f"{_PARTNERSHIP_TYPE} {twinning} ."
    # A place named again is only looked up again: the first GraphIndex call for a country, a
    # (city, country) or a jurisdiction's government adds its statements, and every later call
    # would add only the prov:wasDerivedFrom of the row, so later rows write that directly.
    countries: dict[str, ox.NamedNode] = {}
    places: dict[tuple[str, str], tuple[ox.NamedNode, str, str, str]] = {}  # -> node, IRI, <IRI>, slug
    governments: dict[str, str] = {}  # jurisdiction IRI -> <actor IRI>
    placed: set[str] = set()
    total = len(rows)
    # Everything the import reads from the store has been read (GraphIndex): the load can
    # start now and run beside the rows; any error until commit makes it add nothing.
    quads.stream(kg)
    try:
        for number, values in enumerate(rows, start=2):
            if progress is not None and number % 1000 == 0:
                progress(number - 1, total)
            quads.feed()  # the loader parses and stores what is sent while rows are made
            values = [v.strip() for v in values] + [""] * (8 - len(values))
            city1, country1, lat1, lng1, city2, country2, lat2, lng2 = values[:8]
            # the lists of what is wrong are made only for the rare row that may need them
            if not (city1 and country1 and city2 and country2):
                missing = [c for c, v in zip(_NAMED, (city1, country1, city2, country2)) if not v]
                result.skipped.append(f"row {number}: no {' or '.join(missing)}")
                continue
            if not (city1[0].isalnum() and country1[0].isalnum() and city2[0].isalnum() and country2[0].isalnum()):
                nameless = [f"{c} {v!r}" for c, v in zip(_NAMED, (city1, country1, city2, country2)) if not any(map(str.isalnum, v))]
                if nameless:  # e.g. "-": no identifier can be made from it (found by fuzzing)
                    result.skipped.append(f"row {number}: {' and '.join(nameless)} has no letter or digit")
                    continue
            if (city1.casefold(), country1.casefold()) == (city2.casefold(), country2.casefold()):
                result.skipped.append(f"row {number}: {city1} ({country1}) is twinned with itself")
                continue
            # the row's passage, as add_row_passage writes it
            locator = f"row {number}"
            passage_value = passage_iri(source_slug, locator)
            passage = f"<{passage_value}>"
            emit(f"{passage} {_TYPE} {_PASSAGE} .")
            emit(f"{passage} {source_tail}")
            emit(f"{passage} {_LOCATOR} {nt_string(locator)} .")
            emit(f"{passage} {_QUOTE} {nt_string(line(values[:8]))}@en .")
            passage_node: ox.NamedNode | None = None  # made only when a GraphIndex call needs it
            ends = []
            for city, country_name, lat, lng in ((city1, country1, lat1, lng1), (city2, country2, lat2, lng2)):
                place = places.get((city, country_name))
                if place is None:
                    country = countries.get(country_name)
                    if country is None:
                        country = countries[country_name] = index.country(quads, country_name)
                    if passage_node is None:
                        passage_node = ox.NamedNode(passage_value)
                    jurisdiction = index.jurisdiction(quads, city, country, country_name, passage_node)
                    value = jurisdiction.value
                    place = places[(city, country_name)] = (jurisdiction, value, f"<{value}>", local_slug(jurisdiction))
                else:
                    emit(f"{place[2]} {_DERIVED} {passage} .")
                jurisdiction, jurisdiction_iri, jurisdiction_nt, slug = place
                actor = governments.get(jurisdiction_iri)
                if actor is None:
                    if passage_node is None:
                        passage_node = ox.NamedNode(passage_value)
                    country = countries[country_name]
                    actor = governments[jurisdiction_iri] = nt(
                        index.government_of(quads, jurisdiction, city, country, country_name, passage_node)
                    )
                else:
                    emit(f"{actor} {_DERIVED} {passage} .")
                if jurisdiction_iri not in placed:
                    placed.add(jurisdiction_iri)
                    if _is_number(lat) and _is_number(lng):
                        emit(f"{jurisdiction_nt} {_LAT} {nt_string(lat)}{_DECIMAL} .")
                        emit(f"{jurisdiction_nt} {_LONG} {nt_string(lng)}{_DECIMAL} .")
                        # a NamedNode checks the IRI: the slug may come from a node of the graph
                        geometry = nt(ox.NamedNode(f"{SCKID}geometry/{slug}"))
                        emit(f"{jurisdiction_nt} {_HAS_GEOMETRY} {geometry} .")
                        emit(f"{geometry} {_TYPE} {_GEOMETRY} .")
                        emit(f"{geometry} {_AS_WKT} {nt_string(f'POINT({lng} {lat})')}{_WKT} .")
                ends.append((slug, actor, city, country_name, jurisdiction_iri))
            if ends[0][4] == ends[1][4]:  # two spellings of one place (e.g. "Târgu-Jiu", "Târgu Jiu")
                result.skipped.append(f"row {number}: {city1} and {city2} ({country1}) name the same place")
                continue
            ends.sort(key=lambda end: end[0])  # by slug, as pair_partnership orders the partners
            value = ox.NamedNode(partnership_iri(ends[0][0], ends[1][0], kind_slug)).value  # checked, as above
            node = f"<{value}>"
            emit(f"{node} {_TYPE} {_PARTNERSHIP} .")
            index.label_nt(quads, value, f"Twinning of {ends[0][2]} ({ends[0][3]}) and {ends[1][2]} ({ends[1][3]})", "en")
            emit(f"{node} {_PARTNER} {ends[0][1]} .")
            emit(f"{node} {_PARTNER} {ends[1][1]} .")
            emit(f"{node} {twinning_tail}")
            emit(f"{node} {_DERIVED} {passage} .")
        if progress is not None:
            progress(total, total)
        result.added = quads.commit(kg)
    except BaseException:
        quads.abort()
        raise
    return result
