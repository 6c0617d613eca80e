"""Network projections and their analysis on the bundled Bandung–Seoul data.

Expected values are counted by hand from data/bandung-seoul.ttl (see the comments), so a
change in the data or in the projections that alters them fails here.
"""

from __future__ import annotations

import gc
import json
from collections import Counter

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef

import sistercity_kg as sck
from sistercity_kg.analysis import (
    METRICS_GRAPH,
    betweenness_centrality,
    brokers,
    communities,
    components,
    degree_centrality,
    field_coverage,
    reciprocity,
    write_back,
)
from sistercity_kg.errors import ParameterError
from sistercity_kg.namespaces import PREFIXES, SCK, SCKC, sparql_prefixes
from sistercity_kg.network import KINDS, network

BANDUNG = str(sck.id("actor", "bandung-city-government"))
SEOUL = str(sck.id("actor", "seoul-metropolitan-government"))
PARTNERSHIP = str(sck.id("partnership", "bandung-seoul-sister-city"))
FIELDS = {f"{SCKC}field/{f}" for f in ("urban-governance", "culture", "knowledge-exchange")}

PREFIX_TTL = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
EX = "https://example.org/"


def field(slug: str) -> str:
    return f"{SCKC}field/{slug}"


# --------------------------------------------------------------------------- actors


def test_actors_network_has_two_actors_and_one_partnership_edge_with_three_fields(thesis_kg) -> None:
    g = network(thesis_kg, "actors")
    assert isinstance(g, nx.MultiGraph)
    assert set(g) == {BANDUNG, SEOUL}
    assert g.number_of_edges() == 1
    [(u, v, key, data)] = list(g.edges(keys=True, data=True))
    assert key == PARTNERSHIP and data["partnership"] == PARTNERSHIP
    assert set(data["fields"]) == FIELDS
    assert data["partnership_type"] == f"{SCKC}partnership-type/sister-city"
    # Five activities, one in each status (planned, completed, under construction, intended, ongoing).
    assert data["activities"] == 5
    assert data["activities_by_status"] == {
        "completed": 1, "intended": 1, "ongoing": 1, "planned": 1, "under-construction": 1}
    assert "start" not in data and "end" not in data  # the thesis gives no dates


def test_actor_nodes_have_label_type_and_country(thesis_kg) -> None:
    g = network(thesis_kg, "actors")
    assert g.nodes[BANDUNG]["label"] == "Bandung City Government"
    assert g.nodes[BANDUNG]["type"] == "CityGovernment"
    assert g.nodes[BANDUNG]["country"] == "Indonesia"
    assert g.nodes[SEOUL]["type"] == "MetropolitanGovernment"
    assert g.nodes[SEOUL]["country"] == "South Korea"
    assert g.nodes[SEOUL]["country_iri"] == str(sck.id("country", "south-korea"))


def test_labels_follow_the_chosen_language(thesis_kg) -> None:
    g = network(thesis_kg, "actors", lang="id")
    assert g.nodes[BANDUNG]["label"] == "Pemerintah Kota Bandung"
    assert g.nodes[SEOUL]["country"] == "Korea Selatan"
    [(_, _, data)] = list(g.edges(data=True))
    assert data["label"] == "Kerja sama Sister City Bandung–Seoul"
    # A language without labels falls back to English.
    assert network(thesis_kg, "actors", lang="fr").nodes[BANDUNG]["label"] == "Bandung City Government"


def test_partners_may_be_jurisdictions(fresh_thesis_kg) -> None:
    """Importers name territories (twinned cities): such partnerships join the same network."""
    fresh_thesis_kg.load_data(
        PREFIX_TTL + """
        <https://example.org/twinning> a sck:Partnership ;
            sck:partner sckid:jurisdiction\\/bandung , sckid:jurisdiction\\/seoul .
        """.replace("sckid:jurisdiction\\/bandung", f"<{sck.id('jurisdiction', 'bandung')}>")
        .replace("sckid:jurisdiction\\/seoul", f"<{sck.id('jurisdiction', 'seoul')}>"),
        format="turtle", graph=EX + "g",
    )
    g = network(fresh_thesis_kg, "actors")
    bandung = str(sck.id("jurisdiction", "bandung"))
    assert len(g) == 4 and g.number_of_edges() == 2
    assert g.nodes[bandung]["type"] == "Jurisdiction"
    assert g.nodes[bandung]["group"] == "jurisdiction"
    assert g.nodes[bandung]["country"] == "Indonesia"
    assert g.has_edge(bandung, str(sck.id("jurisdiction", "seoul")), key=EX + "twinning")


# Three partners, one a blank node; B states no country (only the jurisdiction it governs
# does); C states one and is governed by A, whose country must not win over C's own. Two
# English labels on the partnership: the smaller is shown.
TRIO = f"""
<https://example.org/p3> a sck:Partnership ;
    rdfs:label "Three cities"@en , "A three-city partnership"@en , "Tiga kota"@id ;
    sck:partner <https://example.org/a> , <https://example.org/b> , PARTNER_C ;
    sck:partnershipType <{SCKC}partnership-type/sister-city> ;
    sck:field <{SCKC}field/culture> .
<https://example.org/a> a sck:CityGovernment ; rdfs:label "A"@en ; sck:country <https://example.org/xland> .
<https://example.org/b> a sck:CityGovernment ; rdfs:label "B"@en ; sck:governs <https://example.org/bj> .
<https://example.org/bj> a sck:Jurisdiction ; sck:country <https://example.org/yland> .
PARTNER_C a sck:Jurisdiction ; rdfs:label "C"@en ; sck:country <https://example.org/zland> ;
    sck:governedBy <https://example.org/a> .
<https://example.org/xland> a sck:Country ; rdfs:label "Xland"@en .
<https://example.org/yland> a sck:Country ; rdfs:label "Yland"@en .
<https://example.org/zland> a sck:Country ; rdfs:label "Zland"@en .
<https://example.org/act> a sck:CooperationActivity ; sck:partOf <https://example.org/p3> ;
    sck:status <{SCKC}status/completed> ; sck:field <{SCKC}field/health> .
"""


def test_actors_clique_countries_and_labels() -> None:
    """An n-ary partnership is a clique keyed by the partnership; countries fall back to the
    governed jurisdiction only when a node states none; a blank node is an ``_:`` node."""
    kg = sck.load(include_data=False)
    kg.load_data(PREFIX_TTL + TRIO.replace("PARTNER_C", "_:c"), format="turtle", graph=EX + "g")
    g = network(kg, "actors")
    [blank] = [n for n in g if n.startswith("_:")]
    a, b = EX + "a", EX + "b"
    assert set(g) == {a, b, blank} and g.number_of_edges() == 3
    assert {k for *_, k in g.edges(keys=True)} == {EX + "p3"}
    assert all(g.has_edge(u, v, key=EX + "p3") for u, v in ((a, b), (a, blank), (b, blank)))
    assert [(g.nodes[n]["country"], g.nodes[n]["country_iri"]) for n in (a, b, blank)] == [
        ("Xland", EX + "xland"), ("Yland", EX + "yland"), ("Zland", EX + "zland")]
    assert g.nodes[blank]["type"] == "Jurisdiction" and g.nodes[a]["type"] == "CityGovernment"
    data = g.edges[a, b, EX + "p3"]
    assert data["label"] == "A three-city partnership"
    assert data["fields"] == [field("culture"), field("health")]
    assert data["activities"] == 1 and data["activities_by_status"] == {"completed": 1}
    assert data["partnership_type_label"] == "sister city"
    assert g.graph["partnerships"] == ["A three-city partnership"]
    assert network(kg, "actors", lang="id").edges[a, b, EX + "p3"]["label"] == "Tiga kota"


def _canonical(graph: nx.Graph) -> tuple[object, ...]:
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    return (
        sorted(graph.graph.items()),
        sorted((n, sorted(d.items())) for n, d in graph.nodes(data=True)),
        # An undirected edge has no first end: its ends are compared sorted.
        sorted(([*sorted(e[:2])] if not graph.is_directed() else [*e[:2]], *e[2:-1], sorted(e[-1].items()))
               for e in edges),
    )


def test_facts_repeated_in_several_graphs_change_nothing() -> None:
    """The projection queries do not de-duplicate their rows (that is slow on large graphs):
    a triple stated in several named graphs must still count once, in every kind."""
    data = PREFIX_TTL + TRIO.replace("PARTNER_C", "<https://example.org/c>")
    once = sck.load(include_data=False)
    once.load_data(data, format="turtle", graph=EX + "g1")
    twice = sck.load(include_data=False)
    for name in ("g1", "g2"):
        twice.load_data(data, format="turtle", graph=EX + name)
    assert len(twice) > len(once)
    for kind in KINDS:
        for options in ({}, {"status": "completed"}):
            assert _canonical(network(twice, kind, **options)) == _canonical(network(once, kind, **options)), kind


def test_network_leaves_the_garbage_collector_as_it_was(thesis_kg) -> None:
    """Building pauses Python's garbage collector; it must run again afterwards, and stay off
    for a caller who had turned it off."""
    assert gc.isenabled()
    network(thesis_kg, "actors")
    assert gc.isenabled()
    gc.disable()
    try:
        network(thesis_kg, "cooperation")
        assert not gc.isenabled()
    finally:
        gc.enable()


# --------------------------------------------------------------------------- cooperation


def test_cooperation_network_nodes_and_edges(thesis_kg) -> None:
    g = network(thesis_kg, "cooperation")
    assert isinstance(g, nx.MultiDiGraph)
    groups = Counter(d["group"] for _, d in g.nodes(data=True))
    assert groups == {"actor": 2, "jurisdiction": 2, "partnership": 1, "activity": 5, "programme": 1,
                      "field": 5, "place": 3, "source": 1}
    keys = Counter(k for _, _, k in g.edges(keys=True))
    assert keys == {
        "partner": 2,
        "partOf": 5,
        "field": 8,            # five activities and three fields of the partnership
        "topic": 2,            # staff exchange: taxation and transportation
        "emulates": 1, "runBy": 1, "assistedBy": 1,
        "locatedIn": 8,        # river restoration 2, Little Bandung 1, Little Korea 1, programme 1, places 3
        "governs": 2,
        "participant": 7,      # 2 + 1 + 2 + 2 participations
        "wasDerivedFrom": 14,  # every claim-bearing node shown, collapsed to the one document
    }
    roles = {(u, v): d["role"] for u, v, k, d in g.edges(keys=True, data=True) if k == "participant"}
    restoration = str(sck.id("activity", "cikapundung-cikapayang-river-restoration"))
    assert roles[(restoration, SEOUL)] == "provider"
    assert roles[(restoration, BANDUNG)] == "beneficiary"
    assert all(d["predicate"].startswith(("https://", "http://")) for *_, d in g.edges(data=True))


def test_cooperation_field_filter_keeps_culture_only(thesis_kg) -> None:
    g = network(thesis_kg, "cooperation", field="culture")
    activities = {n for n, grp in g.nodes(data="group") if grp == "activity"}
    assert activities == {str(sck.id("activity", a)) for a in
                          ("little-bandung-in-seoul", "little-korea-in-bandung", "cultural-festival-participation")}
    assert {n for n, grp in g.nodes(data="group") if grp == "field"} == {field("culture")}
    # The places of the river restoration and Seoul's programme go with it.
    assert {n for n, grp in g.nodes(data="group") if grp in ("place", "programme")} == set()


def test_cooperation_status_filter(thesis_kg) -> None:
    g = network(thesis_kg, "cooperation", status="completed")
    assert {n for n, grp in g.nodes(data="group") if grp == "activity"} == {str(sck.id("activity", "little-bandung-in-seoul"))}
    assert {BANDUNG, SEOUL, PARTNERSHIP} <= set(g)


# --------------------------------------------------------------------------- fields and policy transfer


def test_fields_network_weights(thesis_kg) -> None:
    g = network(thesis_kg, "fields")
    assert nx.is_bipartite(g)
    weights = {(g.nodes[a]["label"], f.rsplit("/", 1)[1]): w for a, f, w in
               ((a, f, w) if g.nodes[a]["group"] == "actor" else (f, a, w) for a, f, w in g.edges(data="weight"))}
    # Bandung takes part in the restoration, Little Bandung, the festivals and the staff exchange;
    # Seoul provides and assists the restoration and takes part in the festivals and the exchange.
    # Little Korea names no participant, so it counts for neither.
    assert weights == {
        ("Bandung City Government", "urban-governance"): 1,
        ("Bandung City Government", "culture"): 2,
        ("Bandung City Government", "knowledge-exchange"): 1,
        ("Seoul Metropolitan Government", "urban-governance"): 1,
        ("Seoul Metropolitan Government", "culture"): 1,
        ("Seoul Metropolitan Government", "knowledge-exchange"): 1,
    }
    assert {d for _, d in g.nodes(data="bipartite")} == {0, 1}


def test_fields_network_filters(thesis_kg) -> None:
    g = network(thesis_kg, "fields", status="ongoing")
    assert sorted(w for *_, w in g.edges(data="weight")) == [1, 1]
    assert set(g) == {BANDUNG, SEOUL, field("knowledge-exchange")}
    assert len(network(thesis_kg, "fields", field="culture").edges) == 2


def test_policy_transfer_runs_from_model_to_emulator(thesis_kg) -> None:
    g = network(thesis_kg, "policy-transfer")
    model = str(sck.id("programme", "cheonggyecheon-restoration"))
    emulator = str(sck.id("activity", "cikapundung-cikapayang-river-restoration"))
    assert list(g.edges) == [(model, emulator)]
    assert g.edges[model, emulator]["assisted_by"] == [SEOUL]
    assert g.nodes[model]["country"] == "South Korea"   # run by Seoul's government
    assert g.nodes[emulator]["country"] == "Indonesia"  # its rivers are in Bandung
    assert network(thesis_kg, "policy-transfer", status="planned").number_of_edges() == 1
    assert network(thesis_kg, "policy-transfer", status="completed").number_of_edges() == 0
    assert network(thesis_kg, "policy-transfer", field="culture").number_of_edges() == 0


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize(("status", "count"), [("completed", 1), ("ongoing", 1), ("planned", 1), ("suspended", None)])
def test_actors_status_filter(thesis_kg, status: str, count: int | None) -> None:
    g = network(thesis_kg, "actors", status=status)
    if count is None:
        assert g.number_of_edges() == 0 and len(g) == 0
    else:
        [(_, _, data)] = list(g.edges(data=True))
        assert data["activities"] == count and data["activities_by_status"] == {status: count}


def test_actors_field_filter_counts_that_field(thesis_kg) -> None:
    [(_, _, data)] = list(network(thesis_kg, "actors", field="culture").edges(data=True))
    assert data["activities"] == 3
    [(_, _, data)] = list(network(thesis_kg, "actors", field=field("urban-governance")).edges(data=True))
    assert data["activities"] == 1
    # A field the partnership neither declares nor works in removes it.
    assert network(thesis_kg, "actors", field="tourism").number_of_edges() == 0


def test_as_of_keeps_undated_items_unless_asked(thesis_kg) -> None:
    for kind in KINDS:
        dated, undated = network(thesis_kg, kind, as_of="2015-06-30"), network(thesis_kg, kind)
        assert set(dated) == set(undated) and dated.number_of_edges() == undated.number_of_edges() > 0
        strict = network(thesis_kg, kind, as_of="2015-06-30", keep_undated=False)
        # Nothing in the thesis is dated: no partnership, activity or programme is left. Actors,
        # jurisdictions and the source have no dates of their own and stay in the cooperation network.
        assert {grp for _, grp in strict.nodes(data="group")} <= {"actor", "jurisdiction", "source"}
        if kind != "cooperation":
            assert strict.number_of_edges() == 0


DATED = """
<https://example.org/p> a sck:Partnership ;
    rdfs:label "Dated partnership"@en ;
    sck:partner <https://example.org/a> , <https://example.org/b> ;
    sck:startDate "2014"^^xsd:gYear ; sck:endDate "2016-06-30"^^xsd:date .
<https://example.org/a> a sck:CityGovernment ; rdfs:label "A"@en .
<https://example.org/b> a sck:CityGovernment ; rdfs:label "B"@en .
<https://example.org/x> a sck:CooperationActivity ; sck:partOf <https://example.org/p> ;
    sck:status sckc:status\\/ongoing ; sck:startDate "2015-03"^^xsd:gYearMonth .
"""


@pytest.mark.parametrize(
    ("as_of", "edge", "activities"),
    [("2013-12-31", False, 0), ("2014-01-01", True, 0), ("2015-03-01", True, 1),
     ("2016-06-30", True, 1), ("2016-07-01", False, 0)],
)
def test_as_of_reads_dates_of_any_precision(fresh_thesis_kg, as_of: str, edge: bool, activities: int) -> None:
    fresh_thesis_kg.load_data(PREFIX_TTL + DATED.replace("sckc:status\\/ongoing", f"<{SCKC}status/ongoing>"),
                       format="turtle", graph=EX + "g")
    g = network(fresh_thesis_kg, "actors", as_of=as_of, keep_undated=False)
    found = [d for *_, d in g.edges(data=True) if d["partnership"] == EX + "p"]
    assert bool(found) == edge
    if found:
        assert found[0]["activities"] == activities
        assert found[0]["start"] == "2014" and found[0]["end"] == "2016-06-30"


@pytest.mark.parametrize(
    "options",
    [{"kind": "people"}, {"as_of": "30/06/2015"}, {"lang": "en us"}, {"status": "not a slug!"}, {"field": ""}],
)
def test_bad_arguments_raise_parameter_error(thesis_kg, options: dict) -> None:
    kind = options.pop("kind", "actors")
    with pytest.raises(ParameterError):
        network(thesis_kg, kind, **options)


def test_kg_network_method_is_the_function(thesis_kg) -> None:
    assert nx.utils.graphs_equal(thesis_kg.network("fields"), network(thesis_kg, "fields"))


# --------------------------------------------------------------------------- literals are never nodes

_BASE = sck.load(include_data=False)
_IRIS = [URIRef(f"{EX}n{i}") for i in range(6)]
_LITERALS = [Literal(f"lit-{i}") for i in range(3)] + [Literal("2014", datatype=URIRef(PREFIXES["xsd"] + "gYear")),
                                                       Literal("Bandung", lang="id")]
_PREDICATES = [SCK[p] for p in ("partner", "partOf", "field", "topic", "status", "emulates", "locatedIn",
                                "participant", "hasParticipation", "country", "governs", "assistedBy",
                                "startDate", "runBy")] + [URIRef(PREFIXES["rdfs"] + "label"),
                                                          URIRef(PREFIXES["prov"] + "wasDerivedFrom")]
_CLASSES = [SCK[c] for c in ("Partnership", "CityGovernment", "Jurisdiction", "CooperationActivity", "Programme",
                             "Place", "SourceDocument", "CooperationField", "Country")]
_RDF_TYPE = URIRef(PREFIXES["rdf"] + "type")

_triples = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(_IRIS), st.just(_RDF_TYPE), st.sampled_from(_CLASSES)),
        st.tuples(st.sampled_from(_IRIS), st.sampled_from(_PREDICATES), st.sampled_from(_IRIS + _LITERALS)),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(triples=_triples)
def test_no_literal_is_ever_a_node(triples) -> None:
    name = EX + "random"
    _BASE.add(triples, graph=name)
    try:
        literal_texts = {str(t[2]) for t in triples if isinstance(t[2], Literal)}
        for kind in KINDS:
            g = network(_BASE, kind)
            for n in g:
                assert isinstance(n, str) and n.startswith(("https://", "http://", "_:")), (kind, n)
                assert n not in literal_texts
            for u, v in g.edges():
                assert u in g and v in g
    finally:
        _BASE.clear_graph(name)


# --------------------------------------------------------------------------- two queries = one

_TRICKY = [Literal('say "hi"\tthere\\', lang="en"), Literal("line\nbreak"), Literal("Kota Bandung", lang="id"),
           Literal("x", datatype=URIRef(PREFIXES["xsd"] + "token")), Literal("4.50", datatype=URIRef(PREFIXES["xsd"] + "decimal"))]
_BLANKS = [BNode("b1"), BNode("b2")]
_LABEL = URIRef(PREFIXES["rdfs"] + "label")
# partnerships whose partners (an IRI and a blank node) get random labels: what the node
# descriptions carry, in every language the tricky literals have
_SKELETON = [(_IRIS[0], _RDF_TYPE, SCK.Partnership), (_IRIS[0], SCK.partner, _IRIS[1]), (_IRIS[0], SCK.partner, _BLANKS[0]),
             (_IRIS[1], _RDF_TYPE, SCK.CityGovernment), (_IRIS[2], _RDF_TYPE, SCK.CooperationActivity),
             (_IRIS[2], SCK.partOf, _IRIS[0])]
_labels = st.lists(st.tuples(st.sampled_from([_IRIS[1], _BLANKS[0], _IRIS[2]]), st.just(_LABEL),
                             st.sampled_from(_LITERALS + _TRICKY)), max_size=8)
_described = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(_IRIS + _BLANKS), st.just(_RDF_TYPE), st.sampled_from(_CLASSES)),
        st.tuples(st.sampled_from(_IRIS + _BLANKS), st.sampled_from(_PREDICATES),
                  st.sampled_from(_IRIS + _BLANKS + _LITERALS + _TRICKY)),
    ),
    min_size=1,
    max_size=40,
)


def _same_graphs(a: nx.Graph, b: nx.Graph) -> bool:
    def canon(g: nx.Graph) -> tuple:
        edges = g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True)
        return (sorted(map(repr, g.nodes(data=True))), sorted(map(repr, edges)), repr(sorted(g.graph.items())))

    return canon(a) == canon(b)


@settings(max_examples=80, deadline=None)
@given(triples=_described, labels=_labels)
def test_node_descriptions_in_a_second_thread_give_the_single_query_network(triples, labels) -> None:
    """On the embedded store the node descriptions run as a second query in a second thread, read
    as TSV; the network must be the one the single projection query gives (blank nodes, escapes,
    language tags and typed literals included)."""
    import sistercity_kg.network as net

    kg = sck.load(include_data=False)
    kg.add(_SKELETON + labels + triples, graph=EX + "random")
    for kind in KINDS:
        for lang in ("en", "id"):  # labels are picked by language: tags must survive the TSV
            split = network(kg, kind, lang=lang)
            original = net._run_kind
            net._run_kind = lambda kg_, kind_, lang_: net._run(kg_, net._QUERIES[kind_], lang_)
            try:
                single = network(kg, kind, lang=lang)
            finally:
                net._run_kind = original
            assert _same_graphs(split, single), (kind, lang)


# --------------------------------------------------------------------------- analysis

CHAIN = """
<https://example.org/p1> a sck:Partnership ; sck:partner <https://example.org/a> , <https://example.org/b> .
<https://example.org/p2> a sck:Partnership ; sck:partner <https://example.org/b> , <https://example.org/c> .
<https://example.org/p3> a sck:Partnership ; sck:partner <https://example.org/d> , <https://example.org/e> .
<https://example.org/a> a sck:CityGovernment ; sck:country <https://example.org/id> .
<https://example.org/b> a sck:CityGovernment ; sck:country <https://example.org/kr> .
<https://example.org/c> a sck:CityGovernment ; sck:country <https://example.org/jp> .
<https://example.org/d> a sck:CityGovernment ; sck:country <https://example.org/id> .
<https://example.org/e> a sck:CityGovernment ; sck:country <https://example.org/id> .
"""


@pytest.fixture
def chain_kg():
    """A–B–C across three countries, and a separate pair D–E in one country."""
    kg = sck.load(include_data=False)
    kg.load_data(PREFIX_TTL + CHAIN, format="turtle", graph=EX + "chain")
    return kg


def test_degree_and_betweenness_on_the_bundled_data(thesis_kg) -> None:
    assert dict(degree_centrality(thesis_kg)) == {BANDUNG: 1.0, SEOUL: 1.0}
    assert dict(betweenness_centrality(thesis_kg)) == {BANDUNG: 0.0, SEOUL: 0.0}
    # In the cooperation network Seoul's government touches 7 of the 19 other nodes: the
    # partnership, three activities, its jurisdiction, its programme and the source.
    assert degree_centrality(thesis_kg, kind="cooperation")[SEOUL] == pytest.approx(7 / 19)


def test_centrality_components_communities_brokers_on_a_chain(chain_kg) -> None:
    b, a, c, d = (EX + x for x in "bacd")
    # B lies on the one shortest path A–C: 1 of the (5-1)(5-2)/2 = 6 pairs of other nodes.
    assert betweenness_centrality(chain_kg)[b] == pytest.approx(1 / 6)
    assert betweenness_centrality(chain_kg, normalized=False)[b] == 1.0
    assert betweenness_centrality(chain_kg)[a] == 0.0
    assert degree_centrality(chain_kg)[b] == pytest.approx(2 / 4)
    comp = components(chain_kg)
    assert comp[a] == comp[b] == comp[c] == 1 and comp[d] == 2
    comm = communities(chain_kg)
    assert len(set(comm.values())) == 2 and comm[a] == comm[b] == comm[c]
    brk = brokers(chain_kg)
    assert brk[b] == 1 and brk[a] == 0 and brk[d] == 0
    assert brk.ranked()[0] == (b, 1)


def test_reciprocity_of_bandung_and_seoul(thesis_kg) -> None:
    r = reciprocity(thesis_kg, BANDUNG, SEOUL)
    # Bandung gives: Little Bandung (provider), festivals and staff exchange (both take part);
    # Seoul gives: the river restoration (provider, assists), festivals and staff exchange.
    # Little Korea names nobody.
    assert (r.a_to_b, r.b_to_a, r.mutual, r.unattributed, r.activities) == (3, 3, 2, 1, 5)
    assert r.index == 1.0
    r = reciprocity(thesis_kg, BANDUNG, SEOUL, field="urban-governance")
    assert (r.a_to_b, r.b_to_a, r.index) == (0, 1, 0.0)
    r = reciprocity(thesis_kg, BANDUNG, SEOUL, status="ongoing")
    assert (r.a_to_b, r.b_to_a, r.mutual, r.activities) == (1, 1, 1, 1)
    r = reciprocity(thesis_kg, BANDUNG, SEOUL, status="under-construction")
    assert (r.unattributed, r.index) == (1, None)
    with pytest.raises(ParameterError):
        reciprocity(thesis_kg, BANDUNG, BANDUNG)


def test_field_coverage_of_the_partnership(thesis_kg) -> None:
    cov = field_coverage(thesis_kg, PARTNERSHIP)
    assert set(cov.declared) == FIELDS and set(cov.covered) == FIELDS
    assert cov.activity_counts == {field("culture"): 3, field("knowledge-exchange"): 1, field("urban-governance"): 1}
    assert cov.coverage == 1.0 and cov.undeclared == () and cov.uncovered == ()
    cov = field_coverage(thesis_kg, PARTNERSHIP, status="completed")
    assert cov.covered == (field("culture"),) and cov.coverage == pytest.approx(1 / 3)
    with pytest.raises(ParameterError):
        field_coverage(thesis_kg, str(sck.id("partnership", "no-such-partnership")))


def test_metrics_survive_export_and_reimport_and_say_how_they_were_computed(fresh_thesis_kg, tmp_path) -> None:
    bc = betweenness_centrality(fresh_thesis_kg, kind="cooperation")
    rec = reciprocity(fresh_thesis_kg, BANDUNG, SEOUL)
    runs = fresh_thesis_kg.write_back([bc, rec, field_coverage(fresh_thesis_kg, PARTNERSHIP)])
    assert len(runs) == 3
    assert URIRef(str(METRICS_GRAPH)) in fresh_thesis_kg.graph_names()
    path = fresh_thesis_kg.export(tmp_path / "with-metrics.trig")

    again = sck.KnowledgeGraph()
    again.load_file(path)
    assert URIRef(str(METRICS_GRAPH)) in again.graph_names()
    rows = again.sparql(sparql_prefixes() + """
        SELECT ?entity ?value ?method ?parameters ?ended WHERE {
          GRAPH sckg:metrics {
            ?m a sck:Measurement ; sck:metric "betweenness-centrality" ; sck:measuredEntity ?entity ;
               sck:metricValue ?value ; prov:wasGeneratedBy ?run .
            ?run a sck:NetworkAnalysis ; sck:method ?method ; sck:parameters ?parameters ;
                 prov:endedAtTime ?ended ; prov:used sckg:bandung-seoul .
          }
        }""").rows
    assert {str(r["entity"]): float(r["value"]) for r in rows} == pytest.approx(dict(bc))
    assert "betweenness_centrality" in str(rows[0]["method"])
    params = json.loads(str(rows[0]["parameters"]))
    assert params["network"] == "cooperation" and params["normalized"] is True
    assert params["software"]["networkx"] == nx.__version__
    assert str(rows[0]["ended"].datatype) == PREFIXES["xsd"] + "dateTime"
    # The pair metric names both partners.
    pair = again.sparql(sparql_prefixes() + """
        SELECT ?e WHERE { ?m sck:metric "reciprocity" ; sck:measuredEntity ?e ; sck:metricValue 1.0e0 }""")
    assert {str(e) for e in pair.values("e")} == {BANDUNG, SEOUL}


def test_write_back_keeps_the_data_valid_and_apart(fresh_thesis_kg) -> None:
    before = {g: None for g in fresh_thesis_kg.graph_names()}
    write_back(fresh_thesis_kg, degree_centrality(fresh_thesis_kg), graph=EX + "my-metrics")
    assert set(fresh_thesis_kg.graph_names()) - set(before) == {URIRef(EX + "my-metrics")}
    assert fresh_thesis_kg.validate().conforms
    write_back(fresh_thesis_kg, components(fresh_thesis_kg), graph=EX + "my-metrics", replace=True)
    names = fresh_thesis_kg.sparql(sparql_prefixes() + "SELECT DISTINCT ?n WHERE { ?m sck:metric ?n }").values("n")
    assert [str(n) for n in names] == ["component"]
