"""Derived knowledge: ``kg.infer()`` runs the CONSTRUCT rules of ``queries/rules/`` to a fixpoint.

Checks that the Little Bandung <-> Little Korea reciprocity is derived, that every derived triple
sits in the graph of the rule that made it (described with ``prov:wasGeneratedBy``), that no
asserted triple is copied or changed, that a second run adds nothing, and that the derived
graphs can be dropped and rebuilt.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

import sistercity_kg as sck
from sistercity_kg import KnowledgeGraph
from sistercity_kg.namespaces import SCK, SCKG, SCKID
from sistercity_kg.rules import INFERRED, rule_graph, rules

FIXTURE = Path(__file__).resolve().parent / "queries" / "fixture.ttl"

LITTLE_BANDUNG = SCKID["activity/little-bandung-in-seoul"]
LITTLE_KOREA = SCKID["activity/little-korea-in-bandung"]
BANDUNG = SCKID["actor/bandung-city-government"]
SEOUL = SCKID["actor/seoul-metropolitan-government"]
TEST = "https://example.org/sistercity-kg-test/"
EXAMPLE_CITY = URIRef(TEST + "actor/example-city-government")


def graph_triples(kg: KnowledgeGraph, graph: URIRef) -> set[tuple]:
    rows = kg.sparql(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    return {(r["s"], r["p"], r["o"]) for r in rows}


def asserted_graphs(kg: KnowledgeGraph) -> list[URIRef]:
    return [g for g in kg.graph_names() if not str(g).startswith(str(INFERRED))]


@pytest.fixture
def fixture_kg() -> KnowledgeGraph:
    kg = sck.load(include_data=False)
    kg.load_file(FIXTURE)
    return kg


def test_the_bundled_rules() -> None:
    assert [r.id for r in rules()] == ["inverses", "partner-of", "partner-reach", "reciprocity", "symmetry"]
    for rule in rules():
        assert rule.path.name == f"{rule.id}.rq"
        assert rule.description.get("en") and rule.description.get("id")
        assert rule.graph == URIRef(f"{SCKG}inferred/{rule.id}")


def test_infer_derives_the_little_bandung_little_korea_reciprocity(fresh_thesis_kg: KnowledgeGraph) -> None:
    assert (LITTLE_BANDUNG, SCK.mirrors, LITTLE_KOREA) not in set(fresh_thesis_kg.triples())
    report = fresh_thesis_kg.infer()
    assert report.added["reciprocity"] == 2
    derived = graph_triples(fresh_thesis_kg, rule_graph("reciprocity"))
    assert derived == {(LITTLE_BANDUNG, SCK.mirrors, LITTLE_KOREA), (LITTLE_KOREA, SCK.mirrors, LITTLE_BANDUNG)}
    # and nothing else in the bundled data mirrors anything (the festival has no location)
    assert {s for s, _, _ in derived} == {LITTLE_BANDUNG, LITTLE_KOREA}


def test_the_reciprocity_question_needs_no_inference_and_agrees_with_it(fresh_thesis_kg: KnowledgeGraph) -> None:
    before = fresh_thesis_kg.query("cq-reciprocity").rows
    fresh_thesis_kg.infer()
    assert fresh_thesis_kg.query("cq-reciprocity").rows == before
    mirrored = {(r["s"], r["o"]) for r in fresh_thesis_kg.sparql(f"SELECT ?s ?o WHERE {{ ?s <{SCK.mirrors}> ?o }}").rows}
    assert {(r["activity"], r["mirror"]) for r in before} <= mirrored


def test_partners_and_reach(fixture_kg: KnowledgeGraph) -> None:
    report = fixture_kg.infer()
    partner_of = graph_triples(fixture_kg, rule_graph("partner-of"))
    assert (BANDUNG, SCK.partnerOf, SEOUL) in partner_of and (SEOUL, SCK.partnerOf, BANDUNG) in partner_of
    assert (BANDUNG, SCK.partnerOf, EXAMPLE_CITY) not in partner_of
    reach = graph_triples(fixture_kg, rule_graph("partner-reach"))
    # Example City is Seoul's partner only: Bandung reaches it through Seoul, and back.
    assert (BANDUNG, SCK.reaches, EXAMPLE_CITY) in reach and (EXAMPLE_CITY, SCK.reaches, BANDUNG) in reach
    assert not any(s == o for s, _, o in reach), "an actor does not reach itself"
    actors = {BANDUNG, SEOUL, EXAMPLE_CITY}
    assert reach == {(a, SCK.reaches, b) for a in actors for b in actors if a != b}
    assert report.added["partner-reach"] == 6 and report.added["partner-of"] == 4


def test_excluding_a_rule(fixture_kg: KnowledgeGraph) -> None:
    full = sck.load(include_data=False)
    full.load_file(FIXTURE)
    full.infer()
    report = fixture_kg.infer(exclude=["partner-reach"])
    assert "partner-reach" not in report.added and report.added["partner-of"] == 4
    assert rule_graph("partner-reach") not in set(fixture_kg.graph_names())
    assert not fixture_kg.sparql(f"ASK {{ ?a <{SCK.reaches}> ?b }}").boolean
    # every other rule derives exactly what it derives in a full run
    for rule in rules():
        if rule.id != "partner-reach":
            assert graph_triples(fixture_kg, rule.graph) == graph_triples(full, rule.graph), rule.id


def test_excluding_an_unknown_rule_runs_nothing(fixture_kg: KnowledgeGraph) -> None:
    before = len(fixture_kg)
    with pytest.raises(sck.ParameterError, match="No rule named 'partner-rech'; the rules are inverses, "):
        fixture_kg.infer(exclude=["partner-rech"])
    assert len(fixture_kg) == before


def test_cli_infer_exclude(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sistercity_kg.cli import main

    out = tmp_path / "inferred.trig"
    assert main(["infer", str(FIXTURE), "--exclude", "partner-reach", "--out", str(out)]) == 0
    assert "partner-reach" not in capsys.readouterr().out
    kg = sck.load(include_data=False)
    kg.load_file(out)
    assert rule_graph("partner-of") in set(kg.graph_names())
    assert rule_graph("partner-reach") not in set(kg.graph_names())


def test_inverses_fill_in_the_missing_direction(fixture_kg: KnowledgeGraph) -> None:
    fixture_kg.infer()
    derived = graph_triples(fixture_kg, rule_graph("inverses"))
    # the fixture states only that Example City Government governs Example City
    assert derived == {(URIRef(TEST + "jurisdiction/example-city"), SCK.governedBy, EXAMPLE_CITY)}


def test_symmetry_completes_a_one_way_statement(fresh_thesis_kg: KnowledgeGraph) -> None:
    staff, festival = SCKID["activity/staff-exchange"], SCKID["activity/cultural-festival-participation"]
    fresh_thesis_kg.add([(staff, SCK.mirrors, festival)], graph="https://example.org/one-way")
    report = fresh_thesis_kg.infer()
    assert report.added["symmetry"] == 1
    assert graph_triples(fresh_thesis_kg, rule_graph("symmetry")) == {(festival, SCK.mirrors, staff)}


def test_derived_triples_stay_apart_and_never_copy_asserted_ones(fresh_thesis_kg: KnowledgeGraph) -> None:
    before = {g: graph_triples(fresh_thesis_kg, g) for g in asserted_graphs(fresh_thesis_kg)}
    fresh_thesis_kg.infer()
    after = {g: graph_triples(fresh_thesis_kg, g) for g in asserted_graphs(fresh_thesis_kg)}
    assert after == before, "asserted graphs must not change"
    asserted = set().union(*before.values())
    for rule in rules():
        derived = graph_triples(fresh_thesis_kg, rule.graph)
        assert not derived & asserted, f"{rule.id} copied asserted triples"
    # governs/governedBy are both asserted in the bundled data, so the inverses rule adds nothing
    assert graph_triples(fresh_thesis_kg, rule_graph("inverses")) == set()


def test_each_derived_graph_is_described_with_the_rule_that_generated_it(fresh_thesis_kg: KnowledgeGraph) -> None:
    report = fresh_thesis_kg.infer()
    catalogue = graph_triples(fresh_thesis_kg, INFERRED)
    produced = {r.id for r in rules() if report.added[r.id]}
    assert {rule_graph(rid) for rid in produced} == set(report.graphs)
    for rid in produced:
        rule_iri = SCKID[f"rule/{rid}"]
        assert (rule_graph(rid), PROV.wasGeneratedBy, rule_iri) in catalogue
        assert (rule_graph(rid), RDF.type, PROV.Entity) in catalogue
        assert (rule_iri, RDF.type, PROV.Activity) in catalogue
        assert (rule_iri, DCTERMS.identifier, Literal(rid)) in catalogue
        assert any(p == DCTERMS.description and o.language == "id" for s, p, o in catalogue if s == rule_iri)
    # the catalogue describes, it derives nothing about the data
    assert not any(p in (SCK.mirrors, SCK.partnerOf, SCK.reaches) for _, p, _ in catalogue)


def test_infer_is_idempotent(fresh_thesis_kg: KnowledgeGraph) -> None:
    first = fresh_thesis_kg.infer()
    assert first.total > 0 and first.rounds >= 2
    size, text = len(fresh_thesis_kg), fresh_thesis_kg.serialize(format="nquads")
    second = fresh_thesis_kg.infer()
    assert second.total == 0 and second.rounds == 1
    assert set(second.added) == set(first.added)
    assert len(fresh_thesis_kg) == size and fresh_thesis_kg.serialize(format="nquads") == text


def test_drop_and_rebuild(fresh_thesis_kg: KnowledgeGraph) -> None:
    first = fresh_thesis_kg.infer()
    text = fresh_thesis_kg.serialize(format="nquads")
    assert fresh_thesis_kg.clear_inferred() == len(first.graphs) + 1
    assert not [g for g in fresh_thesis_kg.graph_names() if str(g).startswith(str(INFERRED))]
    assert fresh_thesis_kg.infer().added == first.added
    assert fresh_thesis_kg.serialize(format="nquads") == text
    # a rebuild reflects the asserted data now: without Little Korea's location, no reciprocity
    remaining = [t for t in graph_triples(fresh_thesis_kg, SCKG["bandung-seoul"]) if not (t[0] == LITTLE_KOREA and t[1] == SCK.locatedIn)]
    fresh_thesis_kg.clear_graph(SCKG["bandung-seoul"])
    fresh_thesis_kg.add(remaining, graph=SCKG["bandung-seoul"])
    assert graph_triples(fresh_thesis_kg, rule_graph("reciprocity")), "stale until rebuilt"
    report = fresh_thesis_kg.infer(rebuild=True)
    assert report.added["reciprocity"] == 0
    assert rule_graph("reciprocity") not in fresh_thesis_kg.graph_names()


def test_the_graph_still_validates_after_inference(fresh_thesis_kg: KnowledgeGraph) -> None:
    fresh_thesis_kg.infer()
    report = fresh_thesis_kg.validate()
    assert report.conforms, [str(v.message) for v in report.violations]
