"""SHACL targets (Core §2.1.3 and the SPARQL-based targets of SHACL-AF) as SPARQL patterns.

Each shape's targets become one sub-select of ``?this`` that every constraint query of the shape
joins with, so a constraint is checked for all focus nodes in one query.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .paths import Unsupported, iri
from .terms import sparql_term

__all__ = ["TARGET_PREDICATES", "has_target", "target_pattern", "implicit_class"]

#: The predicates that give a shape focus nodes of its own.
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

#: rdf:type followed by rdfs:subClassOf*: SHACL's "SHACL instance of".
INSTANCE_OF = f"{iri(RDF.type)}/{iri(RDFS.subClassOf)}*"


def implicit_class(graph: Graph, shape: Node) -> bool:
    """Whether the shape is also a class (an implicit class target, SHACL §2.1.3.3).

    As pySHACL does: typed ``rdfs:Class`` or a class declared a subclass of it in the shapes graph.
    """
    classes = {RDFS.Class, *graph.subjects(RDFS.subClassOf, RDFS.Class)}
    return isinstance(shape, URIRef) and any(t in classes for t in graph.objects(shape, RDF.type))


def has_target(graph: Graph, shape: Node) -> bool:
    """Whether the shape has any target, explicit or implicit."""
    return any(graph.value(shape, p) is not None for p in TARGET_PREDICATES) or implicit_class(graph, shape)


def target_pattern(graph: Graph, shape: Node, prefixes: dict[str, str]) -> str:
    """A SPARQL group pattern binding ``?this`` to each focus node of the shape, once.

    ``prefixes`` collects the prefixes SPARQL-based targets declare (for the query prologue).

    Raises
    ------
    Unsupported
        If a target is neither a Core target nor a ``sh:SPARQLTarget``.
    """
    branches: list[str] = []
    for cls in graph.objects(shape, SH.targetClass):
        branches.append(f"?this {INSTANCE_OF} {sparql_term(cls)} .")
    if implicit_class(graph, shape):
        branches.append(f"?this {INSTANCE_OF} {sparql_term(shape)} .")
    nodes = list(graph.objects(shape, SH.targetNode))
    if nodes:
        branches.append("VALUES ?this { " + " ".join(sparql_term(n) for n in nodes) + " }")
    for p in graph.objects(shape, SH.targetSubjectsOf):
        branches.append(f"?this {sparql_term(p)} ?_ts .")
    for p in graph.objects(shape, SH.targetObjectsOf):
        branches.append(f"?_to {sparql_term(p)} ?this .")
    for target in graph.objects(shape, SH.target):
        branches.append(_sparql_target(graph, target, prefixes))
    if not branches:
        raise Unsupported(f"no target on {shape}")
    union = " UNION ".join("{ " + b + " }" for b in branches)
    return "{ SELECT DISTINCT ?this WHERE { " + union + " } }"


def _sparql_target(graph: Graph, target: Node, prefixes: dict[str, str]) -> str:
    from .sparql import collect_prefixes, prepare_select  # local: sparql imports targets' helpers

    if (target, RDF.type, SH.SPARQLTarget) not in graph and graph.value(target, SH.select) is None:
        raise Unsupported(f"a custom target type ({target})")
    select = graph.value(target, SH.select)
    if select is None:
        raise Unsupported(f"a target without sh:select ({target})")
    collect_prefixes(graph, target, prefixes)
    text = prepare_select(str(select), this="?this", path=None)
    return "{ " + text + " }"
