"""ORDER BY done in Python by the embedded store (sistercity_kg.stores.ordering) against Oxigraph's own.

The store runs a query ending in ``ORDER BY`` plain variables without that clause and sorts the
answer itself when every key value is unbound, an IRI or a plain string; otherwise it lets
Oxigraph sort. Either way the rows must come in Oxigraph's order (rows with equal keys may
differ in order: SPARQL leaves it open), and the fast path must really be taken on such data.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sistercity_kg.stores import embedded
from sistercity_kg.stores.embedded import EmbeddedStore
from sistercity_kg.stores.ordering import Unsortable, order_plan, sort_key, term_key
from sistercity_kg.terms import to_rdflib

# IRIs and strings chosen where a naive comparison goes wrong: a shared prefix followed by a
# character below ">" or '"', escapes in the TSV text, "<" and ">" inside strings, non-ASCII.
IRIS = ["urn:a", "urn:a!", "urn:a/b", "urn:ab", "urn:b", "https://x.org/é", "urn:A", "urn:a#"]
STRINGS = ["", "a", "a!", "a\tb", 'a"b', "a\\b", "a<b>", "ab", "B", "é", "a\nb", " a", "a\x01"]
ELIGIBLE = [ox.NamedNode(i) for i in IRIS] + [ox.Literal(s) for s in STRINGS if "\x01" not in s]
OTHERS = [
    ox.Literal("a", language="en"),
    ox.Literal("a\x01"),
    ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("10", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.BlankNode("b1"),
]
P, Q = ox.NamedNode("urn:p"), ox.NamedNode("urn:q")

QUERIES = [
    "SELECT ?a ?b WHERE { ?s <urn:p> ?a OPTIONAL { ?s <urn:q> ?b } } ORDER BY ?a ?b",
    "SELECT ?s ?a ?b WHERE { ?s <urn:p> ?a OPTIONAL { ?s <urn:q> ?b } } ORDER BY DESC(?b) ?a",
    "SELECT DISTINCT ?b ?a WHERE { ?s <urn:p> ?a OPTIONAL { ?s <urn:q> ?b } }\nORDER BY ASC(?b) DESC(?a)\n",
]


def _store(rows: list[tuple[ox.NamedNode | ox.Literal | ox.BlankNode, object]]) -> EmbeddedStore:
    store = ox.Store()
    for n, (a, b) in enumerate(rows):
        subject = ox.NamedNode(f"urn:s{n}")
        store.add(ox.Quad(subject, P, a, ox.NamedNode("urn:g")))
        if b is not None:
            store.add(ox.Quad(subject, Q, b, ox.NamedNode("urn:g")))
    return EmbeddedStore(store=store)


def _oxigraph_rows(store: EmbeddedStore, query: str) -> list[dict[str, object]]:
    answer = store.oxigraph.query(query, use_default_graph_as_union=True)
    names = [v.value for v in answer.variables]
    return [{n: to_rdflib(v) for n, v in zip(names, solution) if v is not None} for solution in answer]


def _check_same_order(store: EmbeddedStore, query: str) -> list[dict[str, object]]:
    embedded._SORTED_BY_OXIGRAPH.clear()  # each example decides afresh
    ours = list(store.query(query).rows)
    theirs = _oxigraph_rows(store, query)
    keys = [name for name, _ in order_plan(query).keys]
    assert [tuple(r.get(k) for k in keys) for r in ours] == [tuple(r.get(k) for k in keys) for r in theirs]
    assert Counter(tuple(sorted(r.items())) for r in ours) == Counter(tuple(sorted(r.items())) for r in theirs)
    return ours


value = st.sampled_from(ELIGIBLE)
pair = st.tuples(value, st.none() | value)
# up to 32 rows are converted from Oxigraph's objects, the rest read as TSV text: both paths
rows_of = st.lists(pair, max_size=32) | st.lists(pair, min_size=33, max_size=90)
# at least one row besides the other value: a single row is returned as it comes (nothing to sort)
some_rows = st.lists(pair, min_size=1, max_size=32) | st.lists(pair, min_size=33, max_size=90)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_of, query=st.sampled_from(QUERIES))
def test_python_order_equals_oxigraph_order(rows: list, query: str) -> None:
    store = _store(rows)
    _check_same_order(store, query)
    assert query not in embedded._SORTED_BY_OXIGRAPH, "IRIs, strings and unbound are sorted in Python"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=some_rows, other=st.sampled_from(OTHERS), where=st.integers(0, 79), query=st.sampled_from(QUERIES))
def test_other_values_are_left_to_oxigraph(rows: list, other: object, where: int, query: str) -> None:
    rows = list(rows)
    rows.insert(min(where, len(rows)), (other, other))
    store = _store(rows)
    _check_same_order(store, query)
    assert query in embedded._SORTED_BY_OXIGRAPH, "a value Python does not order sends the query to Oxigraph"


def test_order_by_an_unprojected_variable_is_left_to_oxigraph() -> None:
    store = _store([(ox.Literal("b"), None), (ox.Literal("a"), None)])
    rows = store.query("SELECT ?s WHERE { ?s <urn:p> ?a } ORDER BY ?a").rows
    assert [str(r["s"]) for r in rows] == ["urn:s1", "urn:s0"]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?a { ?s ?p ?a } ORDER BY ?a LIMIT 2",  # the order decides which rows
        "SELECT ?a { ?s ?p ?a } ORDER BY ?a OFFSET 1",
        "SELECT ?a { ?s ?p ?a } LIMIT 1 # ORDER BY ?a",  # a comment, not the clause
        "SELECT ?a { { SELECT ?a { ?s ?p ?a } ORDER BY ?a LIMIT 1 } } ORDER BY ?a",  # a subquery's own
        "SELECT ?a { ?s ?p ?a } ORDER BY STR(?a)",  # an expression
        "SELECT ?a { ?s ?p ?a } ORDER BY ?a VALUES ?a { 1 }",
        "SELECT ?a { ?s ?p ?a }",
    ],
)
def test_queries_whose_order_stays_with_oxigraph(text: str) -> None:
    assert order_plan(text) is None


def test_order_plan_reads_directions() -> None:
    plan = order_plan("PREFIX x: <urn:x#>\nSELECT * WHERE { ?a x:p ?b }\nORDER BY desc(?b) ?a asc( ?c )\n")
    assert plan is not None
    assert plan.keys == (("b", True), ("a", False), ("c", False))
    assert plan.text.endswith("}\n") and "ORDER" not in plan.text


def test_construct_with_order_by_still_answers() -> None:
    store = _store([(ox.Literal("b"), None), (ox.Literal("a"), None)])
    graph = store.query("CONSTRUCT { ?s <urn:r> ?a } WHERE { ?s <urn:p> ?a } ORDER BY ?a").graph
    assert len(graph) == 2


def test_keys_refuse_what_they_cannot_order() -> None:
    for field in ('"a"@en', '"1"^^<urn:t>', "12", "_:b", "true"):
        with pytest.raises(Unsortable):
            sort_key(field)
    with pytest.raises(Unsortable):
        term_key(to_rdflib(ox.Literal("a", language="en")))
    assert sort_key("") < sort_key("<urn:a>") < sort_key("<urn:a!>") < sort_key('""') < sort_key('"a"')
