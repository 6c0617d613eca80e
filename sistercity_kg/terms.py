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

import re
from typing import Union

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["to_rdflib", "to_oxigraph", "from_tsv", "tsv_literal", "tsv_table", "TsvTerms", "OxTerm"]

OxTerm = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_new_str = str.__new__
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _string_literal(lexical: str, language: str | None) -> Literal:
    """``Literal(lexical, lang=language)`` for text Oxigraph has already checked.

    rdflib's constructor re-validates the language tag and looks the (absent) datatype up in its
    converter table, several microseconds per literal; a query answer holds thousands. A string
    literal's value is its lexical form, so the four slots are set as the constructor would set
    them (``tests/test_terms.py`` compares every slot with the constructor's).
    """
    literal = _new_str(Literal, lexical)
    literal._language = language
    literal._datatype = None
    literal._value = lexical
    literal._ill_typed = None
    return literal


def _typed_literal(lexical: str, datatype: str) -> Literal:
    # rdflib treats a plain literal and xsd:string alike; keep plain for round-trips.
    if datatype == _XSD_STRING:
        return _string_literal(lexical, None)
    # lexical form kept as is: normalising it would change the data
    return Literal(lexical, datatype=URIRef(datatype), normalize=False)


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
        language = term.language
        if language:
            return _string_literal(term.value, language)
        return _typed_literal(term.value, term.datatype.value)
    raise TypeError(f"Cannot convert {term!r} to an rdflib term; expected an IRI, blank node or literal.")


_TSV_ESCAPE = re.compile(r'\\([tnr"\\])')
_TSV_UNESCAPED = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\"}
_TSV_SHORT_FORMS = {"true": _XSD + "boolean", "false": _XSD + "boolean"}


def _quoted(field: str) -> tuple[str, str]:
    """A quoted TSV literal as its unescaped lexical form and what follows the closing quote."""
    end = field.rindex('"')  # datatype IRIs and language tags hold no quote
    lexical = field[1:end]
    if "\\" in lexical:
        lexical = _TSV_ESCAPE.sub(lambda m: _TSV_UNESCAPED[m.group(1)], lexical)
    return lexical, field[end + 1 :]


def tsv_literal(field: str) -> tuple[str, str]:
    r"""The lexical form and the lower-case language tag ("" if none) of a literal field of
    Oxigraph's SPARQL TSV results (quoted, or a bare number or boolean).

    The text and language ``from_tsv(field)`` has, without making the term (an RDF 1.2 base
    direction is dropped, as there).

    >>> tsv_literal('"Kota \\"Kembang\\""@ID'), tsv_literal("12")
    (('Kota "Kembang"', 'id'), ('12', ''))
    >>> tsv_literal('"2015"^^<http://www.w3.org/2001/XMLSchema#gYear>')
    ('2015', '')
    """
    if field[0] != '"':
        return field, ""
    lexical, suffix = _quoted(field)
    if suffix[:1] == "@":
        return lexical, suffix[1:].split("--", 1)[0].lower()
    return lexical, ""


def from_tsv(field: str) -> Node:
    """Convert one non-empty field of Oxigraph's SPARQL TSV results to the rdflib term ``to_rdflib`` gives.

    Oxigraph writes IRIs as ``<...>``, blank nodes as ``_:id``, literals in quotes with ``\\t``,
    ``\\n``, ``\\r``, ``\\"`` and ``\\\\`` escaped, then ``@lang`` or ``^^<datatype>``, and booleans,
    integers, decimals and doubles whose text is valid Turtle bare (``true``, ``12``, ``1.5``,
    ``1E3``). A field never holds a raw tab or newline, so rows split safely on them.

    Raises
    ------
    TypeError
        For an RDF 1.2 triple term, as ``to_rdflib`` does.

    >>> from_tsv('"BAB V, point 2"'), from_tsv('"kebudayaan"@id')
    (rdflib.term.Literal('BAB V, point 2'), rdflib.term.Literal('kebudayaan', lang='id'))
    >>> from_tsv("1972"), from_tsv("<https://example.org/a>")
    (rdflib.term.Literal('1972', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')), rdflib.term.URIRef('https://example.org/a'))
    """
    first = field[0]
    if first == "<":
        if field.startswith("<<"):
            raise TypeError(f"Cannot convert {field!r} to an rdflib term; expected an IRI, blank node or literal.")
        return _new_str(URIRef, field[1:-1])
    if first == '"':
        lexical, suffix = _quoted(field)
        if not suffix:
            return _string_literal(lexical, None)
        if suffix[0] == "@":
            # an RDF 1.2 base direction ("@ar--rtl") is dropped, as to_rdflib drops it
            return _string_literal(lexical, suffix[1:].split("--", 1)[0])
        return _typed_literal(lexical, suffix[3:-1])  # ^^<datatype>
    if first == "_":
        return BNode(field[2:])
    # A bare boolean or number, Turtle's short forms
    datatype = _TSV_SHORT_FORMS.get(field)
    if datatype is None:
        if "e" in field or "E" in field:
            datatype = _XSD + "double"
        elif "." in field:
            datatype = _XSD + "decimal"
        else:
            datatype = _XSD + "integer"
    return Literal(field, datatype=URIRef(datatype), normalize=False)


def tsv_table(data: bytes) -> tuple[list[str], list[list[str]]]:
    r"""The variables (without ``?``) and the rows, fields as written, of Oxigraph's TSV answer ``data``.

    Read as text, an answer costs no Python object per term: convert the fields needed with
    :func:`from_tsv` or :class:`TsvTerms`, or read them as they are.

    >>> tsv_table(b'?x\t?y\n<urn:a>\t"b"@en\n\t1\n')
    (['x', 'y'], [['<urn:a>', '"b"@en'], ['', '1']])
    """
    lines = data.decode("utf-8").split("\n")
    names = [name[1:] for name in lines[0].split("\t")] if lines[0] else []
    return names, [line.split("\t") for line in lines[1:-1]]  # no text after the last newline


class TsvTerms(dict):  # type: ignore[type-arg]
    """TSV field -> the rdflib term :func:`from_tsv` gives, each distinct field converted once;
    "" (unbound) -> ``None``. Fields repeat across rows (focus nodes, predicates, classes)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__({"": None})

    def __missing__(self, field: str) -> Node:
        if field[0] == "<" and field[1] != "<":  # an IRI, most fields: from_tsv's first case inline
            term = self[field] = _new_str(URIRef, field[1:-1])
        else:
            term = self[field] = from_tsv(field)
        return term


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
