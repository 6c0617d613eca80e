"""SHACL targets (Core §2.1.3 and the SPARQL-based targets of SHACL-AF) as SPARQL patterns.

Each shape's targets become one sub-select of ``?this`` that every constraint query of the shape
joins with, so a constraint is checked for all focus nodes in one query.
"""

from __future__ import annotations

from typing import Callable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .classes import INSTANCE_OF
from .paths import Unsupported, iri
from .requirements import Requirement
from .terms import sparql_term

__all__ = ["TARGET_PREDICATES", "has_target", "target_pattern", "target_requirement", "implicit_class"]

#: The predicates that give a shape focus nodes of its own.
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

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
    Class targets keep the ``rdf:type/rdfs:subClassOf*`` path (not the constants of
    :mod:`.classes`): Oxigraph then plans most checks from the value side and builds the target
    set only when a value fails, which measured faster on the twin list than starting from the
    targets.

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


def target_requirement(graph: Graph, shape: Node, number: Callable[[Node], int]) -> Requirement | None:
    """What the data must hold for the shape to have any focus node (``None``: nothing to say).

    A class target needs an instance of the class, ``sh:targetSubjectsOf``/``sh:targetObjectsOf``
    a triple with the predicate; ``sh:targetNode`` and SPARQL-based targets always count as met.
    ``number(cls)`` gives a class's number in the plan's class index.
    """
    if any(True for _ in graph.objects(shape, SH.targetNode)) or any(True for _ in graph.objects(shape, SH.target)):
        return None
    classes = [number(c) for c in graph.objects(shape, SH.targetClass)]
    if implicit_class(graph, shape):
        classes.append(number(shape))
    predicates = [p for kind in (SH.targetSubjectsOf, SH.targetObjectsOf) for p in graph.objects(shape, kind)]
    if not all(isinstance(p, URIRef) for p in predicates):
        return None  # a malformed target: let the query say what it does
    return Requirement(predicates=tuple(sorted({iri(p) for p in predicates})), classes=tuple(sorted(set(classes))))


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
