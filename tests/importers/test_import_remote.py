"""Imports into a knowledge graph kept in a SPARQL server (the Oxigraph server of ``tests/servers/``).

The importers read what the graph already holds (countries, jurisdictions, actors) with SPARQL and
write through the store interface, so an import into a server gives the same statements as the
same import in memory; a refused file sends nothing.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest
from rdflib import URIRef

import sistercity_kg as sck
from servers.fixtures import Server, wipe
from sistercity_kg.errors import ImportRowsError
from sistercity_kg.importers.table import AGREEMENT_COLUMNS

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
EXCERPT = HERE / "twin_excerpt.csv"
TWIN_GRAPH = URIRef("https://w3id.org/sistercity-kg/graph/twin-cities")

BANDUNG_PARTNERS = """
PREFIX sck: <https://w3id.org/sistercity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE {
  ?city rdfs:label "Bandung"@en ; sck:country/rdfs:label "Indonesia"@en .
  ?actor sck:governs ?city .
  ?p sck:partner ?actor, ?other .
  FILTER (?other != ?actor)
  ?other sck:governs/rdfs:label ?name .
  FILTER (lang(?name) = "en")
}"""


@pytest.fixture
def server_kg(oxigraph_server: Server) -> Iterator[sck.KnowledgeGraph]:
    """The bundled knowledge graph pushed into the Oxigraph server, wiped before and after."""
    wipe(oxigraph_server)
    kg = sck.connect(oxigraph_server.query, **oxigraph_server.connect_options())
    sck.load().push(kg)
    yield kg
    kg.close()
    wipe(oxigraph_server)


def _graph(kg: sck.KnowledgeGraph, graph: URIRef) -> Counter[tuple[str, str, str]]:
    import pyoxigraph as ox

    return Counter((str(q.subject), str(q.predicate), str(q.object)) for q in kg.store.quads(ox.NamedNode(str(graph))))


def test_twin_list_excerpt_into_the_server_as_in_memory(server_kg: sck.KnowledgeGraph) -> None:
    memory = sck.load()
    expected = memory.import_twin_list(EXCERPT)
    result = server_kg.import_twin_list(EXCERPT)
    assert result.rows == expected.rows == 20
    assert result.skipped == expected.skipped and len(result.skipped) == 2
    # the same statements, reusing the same bundled nodes (Bandung, Indonesia) found by SPARQL on the server
    assert result.added == expected.added == server_kg.store.count(_ox(TWIN_GRAPH)) > 0
    assert _graph(server_kg, TWIN_GRAPH) == _graph(memory, TWIN_GRAPH)
    partners = {str(r["name"]) for r in server_kg.sparql(BANDUNG_PARTNERS).rows}
    assert {"Braunschweig", "Suwon", "Namur", "Seoul"} <= partners
    assert partners == {str(r["name"]) for r in memory.sparql(BANDUNG_PARTNERS).rows}
    # importing the same file again adds nothing
    assert server_kg.import_twin_list(EXCERPT).added == 0
    assert server_kg.store.count(_ox(TWIN_GRAPH)) == result.added


def test_a_refused_table_sends_nothing_to_the_server(server_kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    header = [c.en for c in AGREEMENT_COLUMNS]
    good = {
        "partner_1": "Surabaya City Government", "partner_1_type": "city", "partner_1_jurisdiction": "Surabaya",
        "partner_1_country": "Indonesia", "partner_2": "Busan Metropolitan City", "partner_2_type": "metropolitan",
        "partner_2_jurisdiction": "Busan", "partner_2_country": "South Korea", "partnership_type": "sister-city",
    }
    path = tmp_path / "agreements.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in (good, {**good, "partnership_type": "alliance"}):
            writer.writerow([row.get(h, "") for h in header])
    before = Counter(server_kg.triples())
    with pytest.raises(ImportRowsError) as info:
        server_kg.import_table(path)
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "partnership_type")]
    assert Counter(server_kg.triples()) == before
    # the good row alone goes in, as in memory
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow([good.get(h, "") for h in header])
    memory = sck.load()
    expected = memory.import_table(path)
    result = server_kg.import_table(path)
    assert result.added == expected.added > 0
    assert _graph(server_kg, URIRef(result.graph)) == _graph(memory, URIRef(expected.graph))


def _ox(name: URIRef) -> object:
    import pyoxigraph as ox

    return ox.NamedNode(str(name))
