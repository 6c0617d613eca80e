"""Helpers shared by test modules (not tests themselves)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Namespace
from rdflib.namespace import RDF
from rdflib.term import Node

from sistercity_kg.terms import to_rdflib

#: ../shared beside the checkout (read-only, present in CI); tests that need it skip without it.
SHARED = Path(__file__).resolve().parents[2] / "shared"
W3C_SHACL_CORE = SHARED / "w3c-shacl" / "core"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


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


def w3c_shacl_entries() -> list[tuple[str, Path, Path, Graph, Node]]:
    """Every ``sht:Validate`` entry of the W3C SHACL core suite, walking ``mf:include``.

    Each entry is (name, data file, shapes file, its manifest graph, its expected ``mf:result``);
    empty when the suite is absent.
    """
    if not (W3C_SHACL_CORE / "manifest.ttl").is_file():
        return []
    entries: list[tuple[str, Path, Path, Graph, Node]] = []

    def walk(manifest: Path) -> None:
        graph = via_oxigraph(manifest)
        for included in graph.objects(None, MF.include):
            walk(Path(str(included).removeprefix("file://")))
        for entry in graph.subjects(RDF.type, SHT.Validate):
            action = graph.value(entry, MF.action)
            name = "/".join(str(entry).rsplit("/", 2)[-2:])
            data = Path(str(graph.value(action, SHT.dataGraph)).removeprefix("file://"))
            shapes = Path(str(graph.value(action, SHT.shapesGraph)).removeprefix("file://"))
            entries.append((name, data, shapes, graph, graph.value(entry, MF.result)))

    walk(W3C_SHACL_CORE / "manifest.ttl")
    return sorted(entries, key=lambda e: e[0])
