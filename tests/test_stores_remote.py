"""A knowledge graph in a real SPARQL server (Oxigraph server and Virtuoso): writes, reads, server
quirks and faults. The servers are started by the session fixtures in ``tests/servers/``.
"""

from __future__ import annotations

import logging
import time

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

import sistercity_kg as sck
from servers.fixtures import TEST_GRAPHS, Server, free_port
from servers.tiny import basic_auth_sparql, flaky_proxy, silent_server
from sistercity_kg.stores.remote import GENID, RemoteStore

pytestmark = pytest.mark.slow

G = URIRef(TEST_GRAPHS + "one")
EX = "https://example.org/sistercity-kg-tests/id/"
XSD_DURATION = URIRef("http://www.w3.org/2001/XMLSchema#duration")
XSD_DAY_TIME_DURATION = URIRef("http://www.w3.org/2001/XMLSchema#dayTimeDuration")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def connect(server: Server, **options: object) -> sck.KnowledgeGraph:
    return sck.connect(server.query, **{**server.connect_options(), "graph": [G], **options})  # type: ignore[arg-type]


def triples(n: int, *, tag: str = "") -> list[tuple[URIRef, URIRef, Literal]]:
    return [(URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(f"{tag}{i}")) for i in range(n)]


# -- writing and reading ---------------------------------------------------------------


def test_load_add_count_list_and_clear(sparql_server: Server) -> None:
    with connect(sparql_server) as kg:
        assert len(kg) == 0
        added = kg.load_data(f"<{EX}a> <{EX}p> <{EX}b> , <{EX}c> .", format="turtle", graph=G)
        assert added == 2
        assert kg.add(triples(3), graph=G) == 3
        assert len(kg) == 5 and kg.graph_names() == [G]
        assert (URIRef(f"{EX}a"), URIRef(f"{EX}p"), URIRef(f"{EX}c")) in set(kg.triples())
        kg.clear_graph(G)
        assert len(kg) == 0 and kg.graph_names() == []


def test_a_syntax_error_names_the_line_and_sends_nothing(sparql_server: Server) -> None:
    with connect(sparql_server) as kg:
        with pytest.raises(sck.RdfSyntaxError) as info:
            kg.load_data(f"<{EX}a> <{EX}p> <{EX}b> .\n<{EX}a> <{EX}p> ", format="turtle", graph=G)
        assert info.value.line == 2
        assert len(kg) == 0


def test_bundled_graph_round_trips_through_the_server(sparql_server: Server) -> None:
    source = sck.load()
    with sck.connect(sparql_server.query, **sparql_server.connect_options()) as kg:
        assert source.push(kg) == len(source)
        # the same statements, in the same named graphs, written out byte for byte the same
        assert kg.serialize(format="nquads") == source.serialize(format="nquads")


def test_blank_nodes_are_skolemised_on_the_server_and_restored(sparql_server: Server) -> None:
    with connect(sparql_server) as kg:
        kg.load_data(f'<{EX}a> <{EX}p> [ <{EX}q> "inner" ] .', format="turtle", graph=G)
        raw = RemoteStore(sparql_server.query, graph=[str(G)])._select(
            f"SELECT (STR(?o) AS ?text) WHERE {{ GRAPH <{G}> {{ <{EX}a> <{EX}p> ?o }} }}"
        )
        assert str(raw[0]["text"]).startswith(GENID)  # the server holds an IRI, not a blank node
        objects = [o for s, p, o in kg.triples() if str(p) == f"{EX}p"]
        assert len(objects) == 1 and isinstance(objects[0], BNode)
        inner = kg.sparql(f"SELECT ?v WHERE {{ <{EX}a> <{EX}p> ?b . ?b <{EX}q> ?v }}").values("v")
        assert inner == [Literal("inner")]


def test_literals_keep_their_value(sparql_server: Server) -> None:
    """Durations survive (Virtuoso would make "P1Y" into "12"), xsd:string is the plain literal,
    and language tags come back equal ignoring case (Virtuoso lower-cases them)."""
    with connect(sparql_server) as kg:
        kg.load_data(
            f'<{EX}a> <{EX}term> "P1Y"^^<{XSD_DURATION}> ; <{EX}name> "Bandung"^^<{XSD_STRING}> ;'
            f' <{EX}label> "Seoul"@EN-GB ; <{EX}d> "P2D"^^<{XSD_DAY_TIME_DURATION}> .',
            format="turtle",
            graph=G,
        )
        values = {str(p).rsplit("/", 1)[1]: o for _, p, o in kg.triples()}
        assert values["term"] == Literal("P1Y", datatype=XSD_DURATION)
        assert values["d"] == Literal("P2D", datatype=XSD_DAY_TIME_DURATION)
        assert values["name"] == Literal("Bandung")  # RDF 1.1: the same term as "Bandung"^^xsd:string
        assert str(values["label"]) == "Seoul" and values["label"].language.lower() == "en-gb"
        # the plain literal matches on the server too
        assert kg.sparql(f'ASK {{ ?s <{EX}name> "Bandung" }}').boolean is True
        found = kg.sparql(f"SELECT ?d WHERE {{ ?s <{EX}term> ?d }}").values("d")
        assert found == [Literal("P1Y", datatype=XSD_DURATION)]


def test_large_writes_go_in_batches_and_stay_atomic(sparql_server: Server) -> None:
    # Virtuoso refuses INSERT DATA much above 5,000 triples: 6,000 go in batches of 2,000
    # into a temporary graph that one update adds to the target.
    with connect(sparql_server) as kg:
        assert kg.add(triples(6000), graph=G) == 6000
        assert len(kg) == 6000
    with connect(sparql_server, graph_store_endpoint=sparql_server.graph_store) as kg:
        assert kg.add(triples(6000, tag="gsp"), graph=G) == 6000
        assert len(kg) == 12000
        graphs = kg.sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").values("g")
        assert graphs == [G]  # no temporary graph left behind


def test_writes_need_a_named_graph(sparql_server: Server) -> None:
    store = connect(sparql_server).store
    quad = ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("x"))
    with pytest.raises(sck.StoreError, match="named graph"):
        store.extend([quad])


def test_queries_and_counts_are_scoped_to_the_knowledge_graph(sparql_server: Server) -> None:
    other = URIRef(TEST_GRAPHS + "not-mine")
    with sck.connect(sparql_server.query, **sparql_server.connect_options(), graph=[other]) as elsewhere:
        elsewhere.add(triples(7, tag="other"), graph=other)
    with connect(sparql_server) as kg:
        kg.add(triples(3), graph=G)
        assert len(kg) == 3 and kg.graph_names() == [G]
        assert int(kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]) == 3
        assert kg.sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").values("g") == [G]
        construct = kg.sparql("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert len(construct) == 3
    # the server's own default graph is bigger: Virtuoso's holds its ~2,500 system triples
    raw = RemoteStore(sparql_server.query)._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    if sparql_server.name == "virtuoso":
        assert int(raw[0]["n"]) > 2000


def test_default_scope_is_the_sistercity_graph_namespace(sparql_server: Server) -> None:
    other = URIRef(TEST_GRAPHS + "not-mine")
    with sck.connect(sparql_server.query, **sparql_server.connect_options(), graph=[other]) as elsewhere:
        elsewhere.add(triples(7), graph=other)
    with sck.connect(sparql_server.query, **sparql_server.connect_options()) as kg:
        mine = sck.SCKG["mine"]
        kg.add(triples(2), graph=mine)
        assert kg.graph_names() == [URIRef(mine)] and len(kg) == 2


def test_truncated_results_raise(sparql_server: Server) -> None:
    # 142 triples joined with themselves: 20,164 rows, past the test Virtuoso's limit of 20,000.
    with connect(sparql_server, max_rows=None if sparql_server.max_rows else 20000) as kg:
        kg.add(triples(142), graph=G)
        with pytest.raises(sck.QueryError, match="truncated at 20000 rows"):
            kg.sparql("SELECT * WHERE { ?a ?p ?b . ?c ?q ?d }")
        assert len(kg.sparql("SELECT * WHERE { ?a ?p ?b . ?c ?q ?d } LIMIT 500")) == 500


def test_property_path_closure_matches_the_embedded_store_on_a_cycle(sparql_server: Server) -> None:
    # Virtuoso refuses p+ with neither end bound and leaves the start node out on cycles; the
    # partner-reach rule avoids paths, so a cycle of three partners reaches the same on every store.
    kinds = ("a", "b", "c")
    data = "".join(
        f"<{EX}p-{x}{y}> a <{sck.SCK}Partnership> ; <{sck.SCK}partner> <{EX}{x}> , <{EX}{y}> .\n"
        for x, y in (("a", "b"), ("b", "c"), ("c", "a"))
    )
    data += "".join(f"<{EX}{x}> a <{sck.SCK}SubStateActor> .\n" for x in kinds)
    memory = sck.KnowledgeGraph()
    memory.load_data(data, format="turtle", graph=G)
    memory.infer()
    with sck.connect(sparql_server.query, **sparql_server.connect_options()) as kg:
        kg.load_data(data, format="turtle", graph=sck.SCKG["cycle"])
        kg.infer()
        question = f"SELECT ?a ?b WHERE {{ ?a <{sck.SCK}reaches> ?b }}"
        reach = {(str(r["a"]), str(r["b"])) for r in kg.sparql(question).rows}
        assert reach == {(str(r["a"]), str(r["b"])) for r in memory.sparql(question).rows}
        assert len(reach) == 6


def test_a_triple_in_two_graphs_counts_as_on_the_embedded_store(sparql_server: Server) -> None:
    """The default graph is the union of the graphs as Oxigraph builds it: a triple stated in two
    graphs is matched once per graph, on every store alike."""
    other = URIRef(TEST_GRAPHS + "two")
    memory = sck.KnowledgeGraph()
    with connect(sparql_server, graph=[G, other]) as kg:
        for target in (kg, memory):
            target.add(triples(1), graph=G)
            target.add(triples(1), graph=other)
        question = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert int(kg.sparql(question).rows[0]["n"]) == int(memory.sparql(question).rows[0]["n"])
        question = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"
        assert len(kg.sparql(question)) == len(memory.sparql(question)) == 1


# -- faults ----------------------------------------------------------------------------


def test_nobody_listening_is_an_error_naming_the_endpoint() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    started = time.monotonic()
    with pytest.raises(sck.StoreError, match=f"{url}.*connection refused"):
        len(sck.connect(url, timeout=5))
    assert time.monotonic() - started < 5


def test_a_server_that_never_answers_times_out() -> None:
    with silent_server() as base:
        url = base + "/sparql"
        started = time.monotonic()
        with pytest.raises(sck.StoreError, match=f"{url}: no answer within the timeout of 1 s"):
            sck.connect(url, timeout=1).sparql("ASK {}")
        assert time.monotonic() - started < 4


def test_wrong_credentials_are_an_authentication_error(virtuoso_server: Server, caplog: pytest.LogCaptureFixture) -> None:
    user = virtuoso_server.auth[0] if virtuoso_server.auth else "sckg"
    password = "not-the-password-42"
    caplog.set_level(logging.DEBUG)
    kg = sck.connect(virtuoso_server.query, update_endpoint=virtuoso_server.update, auth=(user, password), graph=[G])
    with pytest.raises(sck.AuthenticationError) as info:
        kg.add(triples(1), graph=G)
    assert virtuoso_server.update in str(info.value) and "not authorised" in str(info.value)
    assert password not in str(info.value) and password not in repr(kg.store) and password not in caplog.text
    # without credentials the message says how to give them
    anonymous = sck.connect(virtuoso_server.query, update_endpoint=virtuoso_server.update, graph=[G])
    with pytest.raises(sck.AuthenticationError, match="SISTERCITY_KG_USER"):
        anonymous.add(triples(1), graph=G)


def test_basic_auth_from_options_url_or_environment(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with basic_auth_sparql("reader", "s3cret-pw") as url:
        assert sck.connect(url, auth=("reader", "s3cret-pw")).sparql("ASK {}").boolean is True
        inline = url.replace("http://", "http://reader:s3cret-pw@")
        kg = sck.connect(inline)
        assert kg.sparql("ASK {}").boolean is True
        assert "s3cret-pw" not in repr(kg.store) and "s3cret-pw" not in kg.store.query_endpoint
        monkeypatch.setenv("SISTERCITY_KG_USER", "reader")
        monkeypatch.setenv("SISTERCITY_KG_PASSWORD", "s3cret-pw")
        assert sck.connect(url).sparql("ASK {}").boolean is True
        monkeypatch.setenv("SISTERCITY_KG_PASSWORD", "wrong-pw")
        with pytest.raises(sck.AuthenticationError) as info:
            sck.connect(url).sparql("ASK {}")
        assert url in str(info.value) and "wrong-pw" not in str(info.value)
    assert "s3cret-pw" not in caplog.text and "wrong-pw" not in caplog.text


def test_an_interrupted_push_leaves_the_target_as_it_was(sparql_server: Server) -> None:
    name = sck.SCKG["pushed"]
    before = sck.KnowledgeGraph()
    before.add(triples(10, tag="old"), graph=name)
    with sck.connect(sparql_server.query, **sparql_server.connect_options()) as target:
        before.push(target)
        old = sorted(target.triples())
    bigger = sck.KnowledgeGraph()
    bigger.add(triples(3000, tag="new"), graph=name)
    upstream = sparql_server.update.split("/", 3)
    with flaky_proxy("/".join(upstream[:3]), fail_after=3) as (proxy, seen):
        through = sck.connect(
            sparql_server.query,
            update_endpoint=proxy + "/" + upstream[3],
            auth=sparql_server.auth,
            timeout=10,
        )
        through.store.batch_size = 500  # several requests, so the connection drops half-way
        with pytest.raises(sck.StoreError):
            bigger.push(through)
        assert seen[0] > 3  # it did fail part-way through
    with sck.connect(sparql_server.query, **sparql_server.connect_options()) as target:
        assert sorted(target.triples()) == old
        assert target.graph_names() == [URIRef(name)]
