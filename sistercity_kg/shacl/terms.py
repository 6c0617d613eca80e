"""rdflib terms of the shapes graph written as SPARQL constants.

Examples
--------
>>> from rdflib import Literal, URIRef
>>> sparql_term(URIRef("urn:a"))
'<urn:a>'
>>> sparql_term(Literal("Bandung", lang="id"))
'"Bandung"@id'
>>> sparql_term(Literal(5))
'"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .paths import Unsupported, iri

__all__ = ["sparql_term", "sparql_string"]


def sparql_string(text: str) -> str:
    """A SPARQL string literal with the characters that need it escaped."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def sparql_term(term: Node) -> str:
    """The SPARQL text of an IRI or literal (a constant in a query).

    Raises
    ------
    Unsupported
        For a blank node: in a query it would be a variable, not the node of the shapes graph.
    """
    if isinstance(term, URIRef):
        return iri(term)
    if isinstance(term, Literal):
        body = sparql_string(str(term))
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None:
            return f"{body}^^{iri(term.datatype)}"
        return body
    if isinstance(term, BNode):
        raise Unsupported("a blank node used as a constant (sh:hasValue, sh:in or sh:targetNode)")
    raise Unsupported(f"an unexpected term {term!r}")
