"""Term conversion between pyoxigraph and rdflib, and query answers converted when first read.

* The fast construction of string literals gives exactly what rdflib's ``Literal`` constructor
  gives (all four slots, equality, hash, N3), for any text and language tag.
* A SELECT answer read from Oxigraph's TSV text (:func:`sistercity_kg.stores.embedded.tsv_rows`)
  gives the same rdflib terms as building them from the pyoxigraph terms with rdflib's own
  constructors: hypothesis-generated IRIs, blank nodes and literals (any text, escapes, language
  tags, base directions, typed literals valid or not) stored in a real store and queried back.
* A small answer is converted at once; a large one is deferred: it counts its rows without
  converting them, gives the same terms when read, and is otherwise indistinguishable from a
  :class:`~sistercity_kg.QueryResult` built with its rows (equality, repr, pickle, copy, CSV,
  JSON, frozen).
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import string

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

import sistercity_kg as sck
from sistercity_kg.results import QueryResult
from sistercity_kg.stores.embedded import oxigraph_result, tsv_rows
from sistercity_kg.terms import _string_literal, from_tsv, tsv_literal

XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH = ox.NamedNode("urn:x-test:graph")

# Text with the characters the TSV escaping handles, quotes and backslashes before letters, and
# anything else Unicode allows in RDF (no surrogates: they cannot be stored).
TEXT = st.lists(
    st.one_of(
        st.sampled_from(list('\t\n\r"\\\'@^<>_: tnr') + ["\\u0041", "\\n", '"@en', "\u2028", "\x00", "\x7f", "😀"]),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=20,
).map("".join)
LANG = st.one_of(st.sampled_from(["en", "id", "ko", "EN", "en-GB", "zh-Hant-TW", "sr-Latn", "de-CH-1996"]),
                 st.from_regex(r"\A[a-z]{2,3}(-[A-Z]{2})?\Z"))
DATATYPES = st.sampled_from(
    [XSD + t for t in ("integer", "decimal", "double", "boolean", "gYear", "date", "string", "float", "int")]
    + ["https://example.org/dt#custom"]
)
LEXICAL = st.one_of(
    TEXT,
    st.sampled_from(["1", "01", "+5", "-0", "1.50", ".5", "1e3", "1E-2", "NaN", "INF", "true", "false", "0", "1972", "2024-02-30"]),
)


@st.composite
def ox_terms(draw: st.DrawFn) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = draw(st.sampled_from(["iri", "bnode", "plain", "lang", "dir", "typed"]))
    if kind == "iri":
        pieces = st.sampled_from(list(string.ascii_letters + string.digits + "-._~/é=&") + ["%20", "%C3%A9"])
        return ox.NamedNode("https://example.org/" + "".join(draw(st.lists(pieces, max_size=20))))
    if kind == "bnode":
        return ox.BlankNode(draw(st.from_regex(r"\A[a-z][a-z0-9]{0,8}\Z")))
    if kind == "plain":
        return ox.Literal(draw(TEXT))
    if kind == "lang":
        return ox.Literal(draw(TEXT), language=draw(LANG))
    if kind == "dir":
        return ox.Literal(draw(TEXT), language=draw(LANG), direction=draw(st.sampled_from([ox.BaseDirection.LTR, ox.BaseDirection.RTL])))
    return ox.Literal(draw(LEXICAL), datatype=ox.NamedNode(draw(DATATYPES)))


def rdflib_reference(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """The rdflib term built with rdflib's own constructors, independently of the library."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def assert_same_term(ours: Node, reference: Node) -> None:
    assert type(ours) is type(reference)
    assert ours == reference and hash(ours) == hash(reference) and ours.n3() == reference.n3()
    if isinstance(reference, Literal):
        slots = ("_language", "_datatype", "_value", "_ill_typed")
        # repr, not ==: an ill-typed "NaN" decimal's value is Decimal("NaN"), unequal to itself
        assert [repr(getattr(ours, s)) for s in slots] == [repr(getattr(reference, s)) for s in slots]
        assert type(ours.value) is type(reference.value)


@given(text=TEXT, language=st.one_of(st.none(), LANG))
@settings(max_examples=300, deadline=None)
def test_fast_string_literals_equal_rdflib_constructor(text: str, language: str | None) -> None:
    assert_same_term(_string_literal(text, language), Literal(text, lang=language))


@pytest.mark.filterwarnings("ignore:Serializing weird numerical")  # n3() of an ill-typed number
@given(terms=st.lists(ox_terms(), min_size=1, max_size=12))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_answers_read_from_tsv_equal_terms_built_by_rdflib(terms: list[ox.NamedNode | ox.BlankNode | ox.Literal]) -> None:
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"urn:x-test:s{i}"), ox.NamedNode("urn:x-test:p"), t, GRAPH) for i, t in enumerate(terms))
    query = "SELECT ?s ?o ?none WHERE { ?s <urn:x-test:p> ?o OPTIONAL { ?s <urn:x-test:nothing> ?none } } ORDER BY ?s"
    stored = [tuple(s) for s in store.query(query, use_default_graph_as_union=True)]
    result = oxigraph_result(store.query(query, use_default_graph_as_union=True))  # small: converted at once
    text = store.query(query, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.TSV)
    from_text = tsv_rows(("s", "o", "none"), text)  # how the rows of a large answer are read
    assert result.variables == ("s", "o", "none") and len(result) == len(from_text) == len(stored) == len(terms)
    for row, again, (s, o, none) in zip(result.rows, from_text, stored):
        assert none is None and set(row) == set(again) == {"s", "o"}
        for got in (row, again):
            assert_same_term(got["s"], rdflib_reference(s))
            assert_same_term(got["o"], rdflib_reference(o))  # the term as stored (Oxigraph may canonicalise)
    # tsv_literal: the text and language of each literal field, as from_tsv reads them
    for line in text.decode("utf-8").split("\n")[1:-1]:
        field = line.split("\t")[1]
        term = from_tsv(field)
        if isinstance(term, Literal):
            assert tsv_literal(field) == (str(term), (term.language or "").lower())


def test_tsv_fields_of_every_kind() -> None:
    assert from_tsv("<https://example.org/a>") == URIRef("https://example.org/a")
    assert from_tsv("_:b0") == BNode("b0")
    assert_same_term(from_tsv('"a\\tb\\\\u0041\\"c"@en'), Literal('a\tb\\u0041"c', lang="en"))
    assert_same_term(from_tsv('"مرحبا"@ar--rtl'), Literal("مرحبا", lang="ar"))
    assert_same_term(from_tsv('"x"^^<https://example.org/dt>'), Literal("x", datatype=URIRef("https://example.org/dt")))
    for bare, datatype in [("true", "boolean"), ("-12", "integer"), ("+1.5", "decimal"), (".5E-3", "double")]:
        assert_same_term(from_tsv(bare), Literal(bare, datatype=URIRef(XSD + datatype), normalize=False))
    with pytest.raises(TypeError):
        from_tsv("<<( <urn:a> <urn:b> <urn:c> )>>")


def test_triple_terms_are_refused_as_before() -> None:
    one = "SELECT (TRIPLE(<urn:a>, <urn:b>, <urn:c>) AS ?t) WHERE {}"
    many = "SELECT ?t WHERE { VALUES ?n { %s } BIND (TRIPLE(<urn:a>, <urn:b>, ?n) AS ?t) }" % " ".join(map(str, range(40)))
    for query in (one, many):  # converted at once, and read from the TSV text
        with pytest.raises(TypeError, match="Cannot convert"):
            oxigraph_result(ox.Store().query(query))


def test_rows_without_variables_or_with_every_variable_unbound() -> None:
    store = ox.Store()
    empty = oxigraph_result(store.query("SELECT * WHERE {}"))
    assert empty.variables == () and empty.rows == ({},) and len(empty) == 1
    unbound = oxigraph_result(store.query("SELECT ?x WHERE { OPTIONAL { ?a <urn:nope> ?x } }"))
    assert unbound.rows == ({},) and len(unbound) == 1
    nothing = oxigraph_result(store.query("SELECT ?x WHERE { ?a <urn:nope> ?x }"))
    assert nothing.rows == () and len(nothing) == 0 and not nothing
    two = oxigraph_result(store.query("SELECT ?x ?y WHERE { VALUES (?x ?y) { (UNDEF 1) (2 UNDEF) } }"))
    assert [sorted(r) for r in two.rows] == [["y"], ["x"]]
    assert two.rows[0] is not two.rows[1]


#: A large answer (more rows than are converted at once), with unbound values and literals of several kinds.
LABELS = """SELECT ?thing ?label ?comment WHERE {
  ?thing rdfs:label ?label OPTIONAL { ?thing rdfs:comment ?comment }
} ORDER BY ?thing ?label"""


def eager_rows(kg: sck.KnowledgeGraph, query: str) -> tuple[dict[str, Node], ...]:
    """The answer's rows converted term by term from pyoxigraph, with rdflib's own constructors."""
    from sistercity_kg.namespaces import sparql_prefixes

    solutions = kg.store.oxigraph.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return tuple({n: rdflib_reference(t) for n, t in zip(names, s) if t is not None} for s in solutions)


@pytest.fixture(scope="module")
def answers(bundled_kg: sck.KnowledgeGraph) -> tuple[QueryResult, QueryResult]:
    """The same answer twice: deferred (as the embedded store gives it) and built with its rows."""
    deferred = bundled_kg.sparql(LABELS)
    eager = QueryResult(variables=deferred.variables, rows=eager_rows(bundled_kg, LABELS))
    return deferred, eager


def test_a_large_answer_counts_its_rows_before_converting_them(bundled_kg: sck.KnowledgeGraph) -> None:
    result = bundled_kg.sparql(LABELS)
    assert result.__dict__.get("_pending") is not None, "a large answer is converted when read"
    assert len(result) > 100 and bool(result)
    assert "rows" not in result.__dict__, "counting converted the rows"
    rows = result.rows
    assert len(rows) == len(result) and result.rows is rows
    assert result.__dict__["_pending"] is None
    reference = eager_rows(bundled_kg, LABELS)
    assert rows == reference and any("comment" not in r for r in rows) and any("comment" in r for r in rows)
    for row, ref in zip(rows, reference):
        for name in ref:
            assert_same_term(row[name], ref[name])


def test_a_small_answer_is_converted_at_once(bundled_kg: sck.KnowledgeGraph) -> None:
    result = bundled_kg.query("cq-interests")
    assert "rows" in result.__dict__ and 0 < len(result.rows) < 32


def test_a_deferred_answer_is_like_one_built_with_its_rows(answers: tuple[QueryResult, QueryResult]) -> None:
    deferred, eager = answers
    assert deferred == eager and repr(deferred) == repr(eager)
    assert deferred.to_csv() == eager.to_csv() and deferred.to_json() == eager.to_json()
    assert deferred.values("label") == eager.values("label") and list(deferred) == list(eager)
    assert dataclasses.asdict(deferred)["rows"] == dataclasses.asdict(eager)["rows"]
    for other in (pickle.loads(pickle.dumps(deferred)), copy.copy(deferred), copy.deepcopy(deferred)):
        assert other == eager and len(other) == len(eager)
    with pytest.raises(dataclasses.FrozenInstanceError):
        deferred.rows = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        deferred.no_such_attribute  # noqa: B018


def test_a_fresh_deferred_answer_pickles_with_its_rows(bundled_kg: sck.KnowledgeGraph) -> None:
    result = bundled_kg.sparql(LABELS)
    assert "rows" not in result.__dict__
    again = pickle.loads(pickle.dumps(result))
    assert "rows" in again.__dict__ and again == result and again.variables == result.variables
