"""Helpers shared by test modules (not tests themselves)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from sistercity_kg.terms import to_rdflib


def via_oxigraph(path: Path) -> Graph:
    """A Turtle file as Oxigraph stores it (canonical literals), as an rdflib graph.

    rdflib would normalise some literals at parse time ("1"^^xsd:boolean becomes true), which
    changes the outcome of a few SHACL tests; Oxigraph's reading is what the engines see.
    """
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    graph = Graph()
    for q in store:
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph
