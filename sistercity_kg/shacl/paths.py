"""SHACL property paths (SHACL §2.3.1) as SPARQL 1.1 property paths.

SHACL defines its paths by their SPARQL equivalents, so the translation is exact:
an IRI, ``sh:inversePath`` (``^p``), a sequence (an RDF list, ``p/q``), ``sh:alternativePath``
(``p|q``), ``sh:zeroOrMorePath`` (``p*``), ``sh:oneOrMorePath`` (``p+``) and ``sh:zeroOrOnePath`` (``p?``).

Examples
--------
>>> from rdflib import Graph, URIRef
>>> g = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <urn:s> sh:path [ sh:alternativePath ( <urn:p> [ sh:inversePath <urn:q> ] ) ] .''', format="turtle")
>>> path_to_sparql(g, g.value(URIRef("urn:s"), SH.path))
'(<urn:p>|^<urn:q>)'
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

__all__ = ["path_to_sparql", "predicate_of", "iri", "Unsupported"]


class Unsupported(Exception):
    """A shape uses a feature the SPARQL compiler does not cover; pySHACL validates it instead."""


def iri(term: Node) -> str:
    """An IRI as SPARQL text, ``<...>``, with the characters SPARQL forbids escaped."""
    text = str(term)
    if any(c in text for c in '<>"{}|^`\\ '):
        text = "".join(c if c not in '<>"{}|^`\\ ' else f"\\u{ord(c):04X}" for c in text)
    return f"<{text}>"


def _list(graph: Graph, node: Node) -> list[Node]:
    if node != RDF.nil and graph.value(node, RDF.first) is None:
        raise Unsupported(f"a path list that is not an RDF list ({node})")
    return list(Collection(graph, node))


_FORMS = (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath, SH.inversePath, SH.alternativePath, RDF.first)


def path_to_sparql(graph: Graph, node: Node) -> str:
    """The SPARQL property path of the SHACL path ``node`` in the shapes ``graph``.

    Raises
    ------
    Unsupported
        If the node is not a well-formed SHACL path.
    """
    if isinstance(node, URIRef):
        return iri(node)
    if not isinstance(node, BNode):
        raise Unsupported(f"a path that is a literal ({node!r})")
    forms = [p for p in _FORMS if graph.value(node, p) is not None]
    if len(forms) > 1:  # e.g. a list that is also an inverse path: which one is meant is a guess
        raise Unsupported(f"a path node of several kinds at once ({node})")
    for predicate, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(node, predicate)
        if inner is not None:
            return f"({path_to_sparql(graph, inner)}){op}"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        text = path_to_sparql(graph, inverse)
        return f"^{text}" if isinstance(inverse, URIRef) else f"^({text})"
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        members = _list(graph, alternatives)
        if len(members) < 2:
            raise Unsupported("sh:alternativePath with fewer than two members")
        return "(" + "|".join(path_to_sparql(graph, m) for m in members) + ")"
    if graph.value(node, RDF.first) is not None:
        members = _list(graph, node)
        if len(members) < 2:
            raise Unsupported("a sequence path with fewer than two members")
        return "(" + "/".join(path_to_sparql(graph, m) for m in members) + ")"
    raise Unsupported(f"an unknown kind of path ({node})")


def predicate_of(graph: Graph, node: Node) -> URIRef | None:
    """The predicate when the path is a plain IRI, else ``None``."""
    return node if isinstance(node, URIRef) else None
