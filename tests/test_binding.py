"""The memo of bound query texts: a term never gets the text bound for another term.

``bind_parameters`` remembers the text it wrote for a query and its terms (a named query is bound
with the same defaults at every call). Terms that are the same Python string but different RDF
terms must each get their own text, the same as binding without the memo.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from sistercity_kg.binding import _bind, bind_parameters
from sistercity_kg.errors import ParameterError

QUERY = "SELECT ?x WHERE { ?x ?p ?v }"
# Built from IRIs, not rdflib.namespace.XSD: a Namespace object at module level makes pytest
# probe it for mock attributes and warn.
XSD_STRING, XSD_INTEGER, XSD_DECIMAL = (URIRef("http://www.w3.org/2001/XMLSchema#" + t) for t in ("string", "integer", "decimal"))

LOOKALIKES = [
    Literal("1"),
    Literal("1", datatype=XSD_STRING),
    Literal("1", datatype=XSD_INTEGER),
    Literal("01", datatype=XSD_INTEGER, normalize=False),
    Literal("1", datatype=XSD_DECIMAL),
    Literal("1", lang="en"),
    Literal("1", lang="id"),
    URIRef("urn:1"),
    Literal("urn:1"),
    Literal('} ; DROP ALL ; {'),
]


def test_each_term_gets_its_own_text_with_or_without_the_memo() -> None:
    texts = []
    for value in LOOKALIKES * 2:  # the second round is answered from the memo
        text = bind_parameters(QUERY, {"v": value})
        assert text == _bind(QUERY, [("v", value)])
        texts.append(text)
    first, second = texts[: len(LOOKALIKES)], texts[len(LOOKALIKES) :]
    assert first == second
    # xsd:string and a plain literal are the same RDF term, and so the same text
    assert len(set(first)) == len(LOOKALIKES) - 1
    assert '"01"^^<http://www.w3.org/2001/XMLSchema#integer>' in first[3]


def test_errors_are_the_same_with_the_memo() -> None:
    with pytest.raises(ParameterError, match="blank node"):
        bind_parameters(QUERY, {"v": BNode("b")})
    with pytest.raises(ParameterError, match="not a valid parameter name"):
        bind_parameters(QUERY, {"v x": Literal("a")})
    with pytest.raises(ParameterError):
        bind_parameters(QUERY, {"v": ["not", "a", "term"]})  # type: ignore[dict-item]  # unhashable
