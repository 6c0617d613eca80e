"""Parity: the same library calls give the same answers on every store.

The bundled knowledge graph is pushed into the in-memory store, an on-disk store, an Oxigraph
server and a Virtuoso server; on each, the rules run (``kg.infer()``), then every named query,
validation and the actors network are compared with the in-memory answers. Terms are compared by
value: servers normalise literals (Virtuoso writes ``"1.50"`` as ``"1.5"`` and lower-cases
language tags), so numbers, dates and booleans compare by value, language tags case-insensitively.

The graph is every bundled layer (``sck.load()``): the thesis layer and the news-source layer,
where the same triple is often stated in several named graphs (so the union default graph holds it
more than once, and queries run over a default graph made of many graphs).

Virtuoso 7.2 gets some of these queries wrong; what could be worked around is (see
``sistercity_kg/stores/remote.py``), the rest is marked ``xfail(strict=True)`` here, each with
its reason:

- ``SELECT DISTINCT`` repeated rows (cq-partners: one row 4 times): the remote store now
  de-duplicates DISTINCT answers itself.
- The reciprocity rule (``sck:locatedIn/sck:locatedIn*`` twice in one pattern) now and then
  pairs an activity with a place of another solution (about one evaluation in three derives
  "Kampung Korea mirrors Little Korea", both in Bandung; the symmetry rule then derives its
  reverse). Not deterministic, so the rules are compared on Virtuoso by
  :func:`test_rules_on_virtuoso` (each rule evaluated repeatedly), and the Virtuoso knowledge
  graph of the other tests gets the reference's derived graphs pushed instead of running them.
- cq-gaps loses the partnership's missing signing date: ``?s a/rdfs:subClassOf* ?kind`` joined
  with a ``NOT EXISTS`` over the partnership typed in four graphs gives no row (every time).
  Rewrites tried (the path split, MINUS, OPTIONAL/!BOUND, FILTER EXISTS on the class) lose the
  row too or answer worse; the same triples copied into one graph give the right answer.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

import sistercity_kg as sck
from servers.fixtures import wipe

pytestmark = pytest.mark.slow

STORES = ["memory", "disk", "oxigraph", "virtuoso"]
QUERY_IDS = [q.id for q in sck.queries()] if hasattr(sck, "queries") else []


def term_key(term: Node | None) -> tuple[object, ...]:
    """A comparable form of a term: IRIs by text, literals by value and lower-cased language."""
    if term is None:
        return ("unbound",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode",)  # labels are local to a result
    if isinstance(term, Literal):
        if term.language:
            return ("lang", str(term), term.language.lower())
        value = term.toPython()
        if isinstance(value, Literal) or value is None:
            value = str(term)
        datatype = str(term.datatype) if term.datatype is not None else None
        return ("literal", repr(value), datatype)
    raise TypeError(f"unexpected term {term!r}")


def answers(result: sck.QueryResult) -> Counter[tuple[object, ...]]:
    """The rows (or triples, or the boolean) of an answer as a multiset of comparable tuples."""
    if result.boolean is not None:
        return Counter([("boolean", result.boolean)])
    if result.graph is not None:
        return Counter(tuple(term_key(t) for t in triple) for triple in result.graph)
    return Counter(tuple(term_key(row.get(v)) for v in result.variables) for row in result.rows)


@pytest.fixture(scope="module")
def reference() -> sck.KnowledgeGraph:
    """The in-memory knowledge graph after inference: the answers every store must give."""
    kg = sck.load()
    kg.infer()
    return kg


@pytest.fixture(scope="module", params=STORES)
def store_kg(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, reference: sck.KnowledgeGraph
) -> Iterator[sck.KnowledgeGraph]:
    """The bundled graph pushed into one kind of store, with the rules run there (Virtuoso: see the module docs)."""
    source = sck.load()
    server = None
    if request.param == "memory":
        kg = source
    elif request.param == "disk":
        kg = sck.open(tmp_path_factory.mktemp("parity") / "store")
        source.push(kg)
    else:
        server = request.getfixturevalue(f"{request.param}_server")
        wipe(server)
        kg = sck.connect(server.query, **server.connect_options())
        if request.param == "virtuoso":
            source = reference  # its rules are unreliable there: test_rules_on_virtuoso
        source.push(kg)
    if request.param != "virtuoso":
        kg.infer()
    yield kg
    kg.close()
    if server is not None:
        wipe(server)


#: Named queries Virtuoso 7.2 answers wrongly every time, and why (see the module docs).
VIRTUOSO_WRONG = {  # (the rules are in VIRTUOSO_WRONG_RULES)
    "cq-gaps": "Virtuoso 7.2 bug: ?s a/rdfs:subClassOf* ?kind joined with NOT EXISTS over a default graph "
    "of several graphs loses the partnership's missing signing date (correct with the triples in one graph)",
}


def _on(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params.get("store_kg", ""))


def test_same_graphs_and_sizes(store_kg: sck.KnowledgeGraph, reference: sck.KnowledgeGraph) -> None:
    assert store_kg.graph_names() == reference.graph_names()
    assert len(store_kg) == len(reference)
    for name in reference.graph_names():
        assert store_kg.store.count(_ox(name)) == reference.store.count(_ox(name)), name


def test_same_triples(store_kg: sck.KnowledgeGraph, reference: sck.KnowledgeGraph) -> None:
    mine = Counter(tuple(term_key(t) for t in triple) for triple in store_kg.triples())
    theirs = Counter(tuple(term_key(t) for t in triple) for triple in reference.triples())
    assert mine == theirs


@pytest.mark.parametrize("query_id", QUERY_IDS)
def test_same_answers_to_named_queries(
    store_kg: sck.KnowledgeGraph, reference: sck.KnowledgeGraph, query_id: str, request: pytest.FixtureRequest
) -> None:
    if _on(request) == "virtuoso" and query_id in VIRTUOSO_WRONG:
        request.applymarker(pytest.mark.xfail(strict=True, raises=AssertionError, reason=VIRTUOSO_WRONG[query_id]))
    expected = answers(reference.query(query_id))
    assert answers(store_kg.query(query_id)) == expected


def test_named_queries_exist() -> None:
    assert QUERY_IDS, "no named queries found: the parity test would compare nothing"


def test_same_union_default_graph_count(store_kg: sck.KnowledgeGraph, reference: sck.KnowledgeGraph) -> None:
    # On Virtuoso the server's own default graph holds ~2,500 system triples: scoping keeps them out.
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert answers(store_kg.sparql(text)) == answers(reference.sparql(text))
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert answers(store_kg.sparql(text)) == answers(reference.sparql(text))


def test_same_inferences(
    store_kg: sck.KnowledgeGraph, reference: sck.KnowledgeGraph, request: pytest.FixtureRequest
) -> None:
    if _on(request) == "virtuoso":
        pytest.skip("the derived graphs were pushed, not derived, on Virtuoso: see test_rules_on_virtuoso")
    inferred = [g for g in reference.graph_names() if "/inferred" in str(g)]
    assert inferred, "the rules derived nothing: nothing to compare"
    for name in inferred:
        mine = Counter(tuple(term_key(t) for t in (q.subject, q.predicate, q.object)) for q in _quads(store_kg, name))
        theirs = Counter(tuple(term_key(t) for t in (q.subject, q.predicate, q.object)) for q in _quads(reference, name))
        assert mine == theirs, name


def test_same_validation_report(store_kg: sck.KnowledgeGraph, reference: sck.KnowledgeGraph) -> None:
    mine, theirs = store_kg.validate(), reference.validate()
    assert mine.conforms == theirs.conforms

    def key(r: object) -> tuple[object, ...]:
        return (term_key(r.focus_node), term_key(r.path), str(r.severity), term_key(r.source_shape))  # type: ignore[attr-defined]

    assert Counter(map(key, mine.results)) == Counter(map(key, theirs.results))


@pytest.mark.skipif(not hasattr(sck.KnowledgeGraph, "network"), reason="no network projection yet")
def test_same_actors_network(store_kg: sck.KnowledgeGraph, reference: sck.KnowledgeGraph) -> None:
    mine, theirs = store_kg.network("actors"), reference.network("actors")
    assert sorted(mine.nodes) == sorted(theirs.nodes)
    assert sorted(map(sorted, mine.edges())) == sorted(map(sorted, theirs.edges()))
    assert len(theirs.nodes) > 1


RULE_IDS = [r.id for r in sck.rules.rules()]
#: Rules Virtuoso 7.2 evaluates wrongly (now and then: each is evaluated 15 times), and why.
VIRTUOSO_WRONG_RULES = {
    "reciprocity": "Virtuoso 7.2 bug: sck:locatedIn/sck:locatedIn* twice in one pattern now and then pairs an "
    "activity with another solution's place (Kampung Korea mirrors Little Korea, both in Bandung)",
}


@pytest.fixture(scope="module")
def virtuoso_copy(
    virtuoso_server: object, reference: sck.KnowledgeGraph
) -> Iterator[tuple[sck.KnowledgeGraph, sck.KnowledgeGraph]]:
    """The reference (all layers and their derived graphs) in memory and pushed into Virtuoso."""
    source = reference
    wipe(virtuoso_server)  # type: ignore[arg-type]
    kg = sck.connect(virtuoso_server.query, **virtuoso_server.connect_options())  # type: ignore[attr-defined]
    source.push(kg)
    yield source, kg
    kg.close()
    wipe(virtuoso_server)  # type: ignore[arg-type]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rules_on_virtuoso(virtuoso_copy: tuple[sck.KnowledgeGraph, sck.KnowledgeGraph], rule_id: str) -> None:
    """Each rule, evaluated 15 times on Virtuoso over the same data, answers as in memory every time.

    A rule hit by the known Virtuoso bug (it comes and goes from run to run) must still derive
    everything memory derives, and may only add the bug's extra pairs; it is then an expected
    failure. A strict xfail would fail by chance on the rare run where all 15 come out right.
    """
    source, kg = virtuoso_copy
    text = next(r.text for r in sck.rules.rules() if r.id == rule_id)
    expected = answers(source.sparql(text))
    runs = [answers(kg.sparql(text)) for _ in range(15)]
    if rule_id in VIRTUOSO_WRONG_RULES:
        for got in runs:
            assert got & expected == expected, "Virtuoso lost a derivation, which the known bug does not explain"
        if any(got != expected for got in runs):
            pytest.xfail(VIRTUOSO_WRONG_RULES[rule_id])
        return
    for got in runs:
        assert got == expected


def _ox(name: URIRef) -> object:
    import pyoxigraph as ox

    return ox.NamedNode(str(name))


def _quads(kg: sck.KnowledgeGraph, name: URIRef) -> list[object]:
    from sistercity_kg.terms import to_rdflib

    class _Q:
        def __init__(self, q: object) -> None:
            self.subject = to_rdflib(q.subject)  # type: ignore[attr-defined]
            self.predicate = to_rdflib(q.predicate)  # type: ignore[attr-defined]
            self.object = to_rdflib(q.object)  # type: ignore[attr-defined]

    return [_Q(q) for q in kg.store.quads(_ox(name))]
