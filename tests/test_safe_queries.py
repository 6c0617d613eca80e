"""Queries and files from users do not reach the network unless the caller allows it.

A tiny HTTP server on 127.0.0.1, started by each test, records every request it receives: the
tests assert it received none (or, when the network is allowed, that it did).
"""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import Iterator

import pyshacl
import pytest
from rdflib import Graph

import sistercity_kg as sck
from sistercity_kg.cli import EXIT_ERROR, EXIT_OK, main
from sistercity_kg.inputs import uses_service
from sistercity_kg.validation import load_shapes, validate_graph

SPARQL_JSON = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "from the service"}}]}}'
CONTEXT = b'{"@context": {"name": "http://schema.org/name"}}'
ONTOLOGY = b"<urn:ex:Imported> a <http://www.w3.org/2002/07/owl#Class> ."


class Recorder:
    """A loopback HTTP server answering SPARQL JSON, a JSON-LD context or Turtle; logs each request."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                recorder.requests.append(f"{self.command} {self.path}")
                if self.path.startswith("/sparql"):
                    body, kind = SPARQL_JSON, "application/sparql-results+json"
                elif self.path.endswith(".jsonld"):
                    body, kind = CONTEXT, "application/ld+json"
                else:
                    body, kind = ONTOLOGY, "text/turtle"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Recorder:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    with Recorder() as server:
        yield server


@pytest.fixture
def kg() -> sck.KnowledgeGraph:
    graph = sck.KnowledgeGraph()
    graph.load_data("<urn:ex:a> <urn:ex:p> <urn:ex:o> .", format="turtle", graph="https://example.org/seed")
    return graph


# ---------------------------------------------------------------------------------------
# SERVICE
# ---------------------------------------------------------------------------------------


def test_service_refused_by_default(kg: sck.KnowledgeGraph, recorder: Recorder) -> None:
    query = f"SELECT ?x WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?x }} }}"
    for run in (kg.sparql, kg.query):
        with pytest.raises(sck.QueryError, match=r"SERVICE clause.*pass allow_network=True \(CLI: --allow-network\)"):
            run(query)
    lower = f"select ?x where {{ service silent <{recorder.url}/sparql> {{ ?s ?p ?x }} }}"
    with pytest.raises(sck.QueryError, match="SERVICE clause"):
        kg.sparql(lower)
    variable = f"SELECT ?x WHERE {{ VALUES ?e {{ <{recorder.url}/sparql> }} SERVICE ?e {{ ?s ?p ?x }} }}"
    with pytest.raises(sck.QueryError, match="SERVICE clause"):
        kg.sparql(variable)
    assert recorder.requests == []


def test_service_allowed_explicitly_reaches_the_endpoint(kg: sck.KnowledgeGraph, recorder: Recorder) -> None:
    query = f"SELECT ?x WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?x }} }}"
    result = kg.query(query, allow_network=True)
    assert [str(row["x"]) for row in result.rows] == ["from the service"]
    assert len(recorder.requests) == 1 and "/sparql" in recorder.requests[0]


@pytest.mark.parametrize(
    "where",
    [
        "# SERVICE <{url}/sparql> {{ ?s ?p ?o }}\n",
        'FILTER(?o != "SERVICE <{url}/sparql> {{ }}")',
        "FILTER(?o != '''SERVICE\n<{url}/sparql>''')",
        "FILTER(?o != <{url}/SERVICE>)",
        ". ?s <urn:ex:SERVICE> ?x OPTIONAL {{ ?s ?p ?o }}",
        "BIND(1 AS ?service)",
    ],
    ids=["comment", "string", "long-string", "iri", "iri-local-name", "variable"],
)
def test_service_word_elsewhere_is_not_refused(where: str, kg: sck.KnowledgeGraph, recorder: Recorder) -> None:
    query = "SELECT * WHERE { ?s ?p ?o " + where.format(url=recorder.url) + " }"
    assert not uses_service(query)
    kg.sparql(query)  # runs: no QueryError
    assert recorder.requests == []


def test_service_found_by_parsing_even_when_rdflib_cannot_parse() -> None:
    """A query rdflib's parser rejects is scanned outside comments, strings and IRIs instead."""
    assert uses_service("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } LATERAL { } }")
    assert not uses_service('SELECT * WHERE { ?s ?p "SERVICE" LATERAL { } }')


def test_cli_allow_network_flag(tmp_path: Path, recorder: Recorder, capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "federated.rq"
    query.write_text(f"SELECT ?x WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?x }} }}\n", encoding="utf-8")
    assert main(["query", str(query)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--allow-network" in err and "Traceback" not in err
    assert recorder.requests == []
    assert main(["query", str(query), "--allow-network", "--format", "csv"]) == EXIT_OK
    assert "from the service" in capsys.readouterr().out
    assert len(recorder.requests) == 1


# ---------------------------------------------------------------------------------------
# JSON-LD remote contexts and owl:imports
# ---------------------------------------------------------------------------------------


def test_jsonld_remote_context_is_never_fetched(kg: sck.KnowledgeGraph, recorder: Recorder, tmp_path: Path) -> None:
    path = tmp_path / "remote-context.jsonld"
    path.write_text(f'{{"@context": "{recorder.url}/context.jsonld", "@id": "urn:ex:b", "name": "x"}}', encoding="utf-8")
    before = kg.serialize(format="n-quads")
    with pytest.raises(sck.RdfSyntaxError, match="remote @context"):
        kg.load_file(path)
    with pytest.raises(sck.RdfSyntaxError, match="remote @context"):
        kg.load_data(path.read_text(encoding="utf-8"), format="json-ld", graph="https://example.org/x")
    assert kg.serialize(format="n-quads") == before
    assert recorder.requests == []


def test_owl_imports_are_not_followed(recorder: Recorder, tmp_path: Path) -> None:
    """Neither loading, nor validating (library, and pySHACL as the library calls it) follows owl:imports;
    shapes with owl:imports are not followed either."""
    data = tmp_path / "importing.ttl"
    data.write_text(
        f"<urn:ex:onto> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
        f"    <http://www.w3.org/2002/07/owl#imports> <{recorder.url}/onto.ttl> .\n",
        encoding="utf-8",
    )
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        f"<urn:ex:shapes> <http://www.w3.org/2002/07/owl#imports> <{recorder.url}/more-shapes.ttl> .\n"
        "<urn:ex:S> a sh:NodeShape ; sh:targetClass <urn:ex:Imported> ; sh:property [ sh:path <urn:ex:p> ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    kg = sck.load(include_data=False)
    kg.load_file(data)
    assert kg.validate().conforms
    shapes_graph = load_shapes(shapes)
    validate_graph(kg.to_rdflib(), shapes=shapes_graph)
    # pySHACL's own default (do_owl_imports=False) as the library relies on it
    pyshacl.validate(Graph().parse(data), shacl_graph=shapes_graph, advanced=True)
    assert recorder.requests == []


def test_service_in_shapes_sparql_constraint_is_not_run_remotely(recorder: Recorder, tmp_path: Path) -> None:
    """Documented limit: shapes are trusted code. This records what happens today with a
    SERVICE inside an sh:sparql constraint of custom shapes (pySHACL runs it with rdflib)."""
    shapes = tmp_path / "service-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:ex:S> a sh:NodeShape ; sh:targetNode <urn:ex:a> ; sh:sparql [ sh:select \"\"\"\n"
        f"  SELECT $this WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?x }} }} \"\"\" ] .\n",
        encoding="utf-8",
    )
    kg = sck.KnowledgeGraph()
    kg.load_data("<urn:ex:a> <urn:ex:p> <urn:ex:o> .", format="turtle", graph="https://example.org/seed")
    with pytest.raises(sck.ShapesError, match="SERVICE"):
        kg.validate(shapes=load_shapes(shapes))
    assert recorder.requests == []
