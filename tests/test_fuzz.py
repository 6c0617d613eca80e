"""Fuzzing: random and mutated inputs for every loader, importer, the SPARQL entry point and the CLI.

Whatever the input, only the library's errors (subclasses of ``SisterCityKGError``) come out, and
after an error the graph is exactly as before (sorted N-Quads compared).

Run time is bounded: by default each test tries few examples (the whole file takes well under a
minute). ``SISTERCITY_KG_FUZZ=long`` selects a profile with 50 times more examples for local runs::

    SISTERCITY_KG_FUZZ=long .venv/bin/pytest tests/test_fuzz.py -q
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sistercity_kg as sck
from sistercity_kg.cli import main

settings.register_profile(
    "fuzz-short", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
settings.register_profile(
    "fuzz-long", max_examples=1250, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PROFILE = "fuzz-long" if os.environ.get("SISTERCITY_KG_FUZZ") == "long" else "fuzz-short"
FUZZ = settings.get_profile(PROFILE)

SEEDS: dict[str, bytes] = {
    "ttl": (
        b"@prefix ex: <urn:ex:> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        b'ex:bandung ex:partnerOf ex:seoul ; rdfs:label "Bandung"@id , "\xeb\xb0\x98\xeb\x91\xa5"@ko .\n'
        b"ex:seoul ex:knows [ ex:name \"x\" ; ex:list ( 1 2.5 \"three\" ) ] .\n"
    ),
    "trig": b"@prefix ex: <urn:ex:> .\nex:g { ex:a ex:p ex:o . ex:a ex:q \"v\"^^<urn:ex:dt> . }\n",
    "nt": b'<urn:ex:a> <urn:ex:p> <urn:ex:o> .\n<urn:ex:a> <urn:ex:q> "v\\u00e9"@en .\n_:b <urn:ex:p> "1" .\n',
    "nq": b'<urn:ex:a> <urn:ex:p> <urn:ex:o> <urn:ex:g> .\n<urn:ex:a> <urn:ex:q> "v" <urn:ex:g> .\n',
    "jsonld": b'{"@context": {"ex": "urn:ex:"}, "@id": "ex:a", "ex:p": [{"@id": "ex:o"}, {"@value": "v", "@language": "en"}]}',
    "rdf": (
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">\n'
        b'  <rdf:Description rdf:about="urn:ex:a"><ex:p rdf:resource="urn:ex:o"/><ex:q xml:lang="en">v</ex:q></rdf:Description>\n'
        b"</rdf:RDF>\n"
    ),
}
AGREEMENTS = (
    "partner_1,partner_1_jurisdiction,partner_1_country,partner_2,partner_2_jurisdiction,partner_2_country,"
    "partnership_type,signing_date,fields\n"
    "Bandung City Government,Bandung,Indonesia,Seoul Metropolitan Government,Seoul,South Korea,sister-city,"
    "24/05/2015,culture; urban-governance\n"
).encode()
TWINS = b"city1,country1,lat1,lng1,city2,country2,lat2,lng2\nBandung,Indonesia,-6.9,107.6,Seoul,South Korea,37.5,127.0\n"
WIKIDATA = (
    b'{"head": {"vars": ["item", "itemLabel", "partner", "partnerLabel"]}, "results": {"bindings": [{"item": '
    b'{"type": "uri", "value": "http://www.wikidata.org/entity/Q10389"}, "itemLabel": {"type": "literal", "value": '
    b'"Bandung"}, "partner": {"type": "uri", "value": "http://www.wikidata.org/entity/Q8684"}, "partnerLabel": '
    b'{"type": "literal", "value": "Seoul"}}]}}'
)
QUERY = "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o . OPTIONAL { ?o ?q ?r } FILTER(?p != <urn:ex:x>) } GROUP BY ?s"


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few random edits: flips, deletions, insertions, duplications, truncation."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate", "special"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "delete" and data:
            del data[pos : pos + draw(st.integers(1, 8))]
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "duplicate" and data:
            end = min(len(data), pos + draw(st.integers(1, 40)))
            data[pos:pos] = data[pos:end] * draw(st.integers(1, 50))
        elif kind == "truncate":
            del data[pos:]
        else:
            data[pos:pos] = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"{", b"(", b"[", b'"', b"<", b"\\u", b"@prefix", b"#", b"\n"]))
    return bytes(data)


def inputs_for(seed: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(mutated(seed), st.binary(max_size=300))


def _base() -> sck.KnowledgeGraph:
    kg = sck.KnowledgeGraph()
    kg.load_data(SEEDS["ttl"], format="turtle", graph="https://example.org/seed")
    return kg


def _write(suffix: str, content: bytes) -> Path:
    handle, name = tempfile.mkstemp(suffix="." + suffix, prefix="fuzz-")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    return Path(name)


def _only_library_errors(kg: sck.KnowledgeGraph, call) -> None:  # noqa: ANN001 - any callable
    before = kg.serialize(format="n-quads")
    try:
        call()
    except sck.SisterCityKGError:
        assert kg.serialize(format="n-quads") == before, "a failed load changed the graph"


@pytest.mark.parametrize("suffix", sorted(SEEDS))
def test_fuzz_load_file(suffix: str) -> None:
    kg = _base()

    @FUZZ
    @given(inputs_for(SEEDS[suffix]))
    def run(content: bytes) -> None:
        path = _write(suffix, content)
        try:
            _only_library_errors(kg, lambda: kg.load_file(path))
        finally:
            path.unlink()

    run()


@pytest.mark.parametrize(
    "method, suffix, seed",
    [("import_table", "csv", AGREEMENTS), ("import_twin_list", "csv", TWINS), ("import_wikidata", "json", WIKIDATA)],
    ids=["table", "twin-list", "wikidata"],
)
def test_fuzz_importers(method: str, suffix: str, seed: bytes, bundled_kg: sck.KnowledgeGraph) -> None:
    kg = sck.KnowledgeGraph()  # the vocabulary only: importers look concepts up in it
    for name in bundled_kg.graph_names():
        if name.endswith(("/ontology", "/schemes")):
            kg.store.extend(bundled_kg.store.quads(ox.NamedNode(str(name))))

    @FUZZ
    @given(inputs_for(seed))
    def run(content: bytes) -> None:
        path = _write(suffix, content)
        try:
            _only_library_errors(kg, lambda: getattr(kg, method)(path))
        finally:
            path.unlink()

    run()


def test_fuzz_sparql() -> None:
    kg = _base()
    text = st.one_of(
        mutated(QUERY.encode()).map(lambda b: b.decode("utf-8", errors="replace")),
        st.text(alphabet=st.sampled_from(list("{}()[]<>?$\"'#.;,: \nSERVICEselectWHEREa1")), max_size=200),
    )

    @FUZZ
    @given(text)
    def run(query: str) -> None:
        _only_library_errors(kg, lambda: kg.sparql(query))

    run()


def test_fuzz_shapes_loader() -> None:
    from sistercity_kg.validation import load_shapes

    seed = (
        b"@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        b"<urn:ex:S> a sh:NodeShape ; sh:targetClass <urn:ex:C> ; sh:property [ sh:path <urn:ex:p> ; sh:minCount 1 ] .\n"
    )

    @FUZZ
    @given(inputs_for(seed))
    def run(content: bytes) -> None:
        path = _write("ttl", content)
        try:
            load_shapes(path)
        except sck.SisterCityKGError:
            pass
        finally:
            path.unlink()

    run()


@pytest.mark.parametrize("command, suffix", [("validate", "ttl"), ("import", "csv"), ("query", "rq")])
def test_fuzz_cli(command: str, suffix: str) -> None:
    """The CLI answers with exit 0, 1 or 2 and at most a one-line error, never a traceback."""
    seed = {"ttl": SEEDS["ttl"], "csv": AGREEMENTS, "rq": QUERY.encode()}[suffix]

    @settings(FUZZ, max_examples=max(5, FUZZ.max_examples // 5))
    @given(inputs_for(seed))
    def run(content: bytes) -> None:
        path = _write(suffix, content)
        err = io.StringIO()
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = main([command, str(path)])
        finally:
            path.unlink()
        assert code in (0, 1, 2)
        assert "Traceback" not in err.getvalue()
        if code == 2:
            assert err.getvalue().startswith("sistercity-kg: error: ")

    run()
