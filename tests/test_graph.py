"""KnowledgeGraph: loading, bad input that changes nothing, raw SPARQL, validation report."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import sistercity_kg as sck

BROKEN_TURTLE = """@prefix ex: <http://example.org/> .
ex:a ex:b ex:c .
ex:a ex:b "unterminated .
"""


def test_load_puts_each_file_in_its_own_graph(bundled_kg: sck.KnowledgeGraph) -> None:
    names = {str(g) for g in bundled_kg.graph_names()}
    assert {str(sck.SCKG.ontology), str(sck.SCKG.schemes), str(sck.SCKG["bandung-seoul"])} <= names
    assert len(bundled_kg) > 500


def test_load_file_returns_the_number_of_new_statements(fresh_kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/b> 'c', 'd' .\n", encoding="utf-8")
    before = len(fresh_kg)
    assert fresh_kg.load_file(extra) == 2
    assert len(fresh_kg) == before + 2
    assert URIRef(sck.SCKG.extra) in fresh_kg.graph_names()


def test_broken_file_names_file_line_and_column_and_changes_nothing(
    fresh_kg: sck.KnowledgeGraph, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(BROKEN_TURTLE, encoding="utf-8")
    before = sorted(fresh_kg.serialize(format="n-quads").splitlines())
    with pytest.raises(sck.RdfSyntaxError) as info:
        fresh_kg.load_file(broken)
    err = info.value
    assert err.path == broken and err.line == 3 and err.column is not None
    assert str(err).startswith(f"{broken}, line 3, column")
    # the valid first triple of the file was not kept either: all or nothing
    assert sorted(fresh_kg.serialize(format="n-quads").splitlines()) == before


def test_missing_file_is_named(fresh_kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.ttl"
    with pytest.raises(sck.MissingFileError, match="nowhere.ttl: no such file"):
        fresh_kg.load_file(missing)
    assert isinstance(sck.MissingFileError(missing), sck.SisterCityKGError)


def test_unknown_prefix_is_reported_with_its_position(fresh_kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    bad = tmp_path / "prefix.ttl"
    bad.write_text("<http://e/a> <http://e/b> zz:c .\n", encoding="utf-8")
    with pytest.raises(sck.RdfSyntaxError, match=r"line 1, column \d+: .*zz"):
        fresh_kg.load_file(bad)


def test_sparql_select_gives_rdflib_terms(bundled_kg: sck.KnowledgeGraph) -> None:
    result = bundled_kg.sparql(
        "SELECT ?label WHERE { ?a a <https://w3id.org/sistercity-kg/ontology#CityGovernment> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(lang(?label) = 'id') }"
    )
    assert result.variables == ("label",)
    assert Literal("Pemerintah Kota Bandung", lang="id") in result.values("label")


def test_sparql_bindings_are_terms(bundled_kg: sck.KnowledgeGraph) -> None:
    query = "ASK { ?actor <https://w3id.org/sistercity-kg/ontology#governs> ?place }"
    bandung = sck.id("actor", "bandung-city-government")
    assert bundled_kg.sparql(query, bindings={"actor": bandung}).boolean is True
    assert bundled_kg.sparql(query, bindings={"actor": Literal("} ; DROP ALL ; {")}).boolean is False


def test_malformed_sparql_is_a_query_error(bundled_kg: sck.KnowledgeGraph) -> None:
    with pytest.raises(sck.QueryError, match="malformed"):
        bundled_kg.sparql("SELEC ?x WHERE {}")


def test_bundled_data_conforms_and_warns_only_where_the_source_is_silent(bundled_kg: sck.KnowledgeGraph) -> None:
    report = bundled_kg.validate()
    assert report.conforms, report.text()
    assert report.violations == ()
    assert report.warnings, "the source states no term or dates: the shapes must warn"
    for warning in report.warnings:
        assert warning.messages.get("en") and warning.messages.get("id"), warning
    text = report.text()
    assert text.startswith("The graph conforms: 0 violation(s)")


def test_validation_report_is_a_dataclass_with_json(bundled_kg: sck.KnowledgeGraph) -> None:
    import json
    from dataclasses import is_dataclass

    report = bundled_kg.validate()
    assert is_dataclass(report) and all(is_dataclass(r) for r in report.results)
    doc = json.loads(report.to_json())
    assert doc["conforms"] is True and doc["warnings"] == len(report.warnings)


def test_an_undeclared_prefix_is_named(bundled_kg: sck.KnowledgeGraph) -> None:
    with pytest.raises(sck.QueryError, match=r"uses the prefix zz: without declaring it"):
        bundled_kg.sparql('SELECT * WHERE { ?s zz:p "ex:not-a-prefix" }')


def test_predeclared_prefixes_can_be_overridden(bundled_kg: sck.KnowledgeGraph) -> None:
    result = bundled_kg.sparql("PREFIX sck: <http://example.org/other#> ASK { ?a a sck:CooperationActivity }")
    assert result.boolean is False
    assert bundled_kg.sparql("ASK { ?a a sck:CooperationActivity }").boolean is True
