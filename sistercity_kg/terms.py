"""Conversion of RDF terms between pyoxigraph (the store) and rdflib (the edges).

Examples
--------
>>> import pyoxigraph as ox
>>> to_rdflib(ox.Literal("Bandung", language="id"))
rdflib.term.Literal('Bandung', lang='id')
>>> to_oxigraph(to_rdflib(ox.NamedNode("https://example.org/a")))
<NamedNode value=https://example.org/a>
"""

from __future__ import annotations

from typing import Union

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["to_rdflib", "to_oxigraph", "OxTerm"]

OxTerm = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_new_str = str.__new__
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_rdflib(term: OxTerm) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term.

    Raises
    ------
    TypeError
        If the term is a kind rdflib cannot represent (an RDF-star triple term).
    """
    if isinstance(term, ox.NamedNode):
        # Oxigraph has already checked the IRI: skip rdflib's per-IRI validation (a third of the
        # time of converting query results). str.__new__ is what URIRef() ends with for a valid IRI.
        return _new_str(URIRef, term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib treats a plain literal and xsd:string alike; keep plain for round-trips.
        if datatype == _XSD_STRING:
            return Literal(term.value)
        # lexical form kept as is: normalising it would change the data
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise TypeError(f"Cannot convert {term!r} to an rdflib term; expected an IRI, blank node or literal.")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term.

    Raises
    ------
    TypeError
        If the term is not an IRI, blank node or literal (e.g. a variable or a graph).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"Cannot convert {term!r} to an RDF term; expected an IRI, blank node or literal.")
