"""Every export format re-parses, with pyoxigraph (an independent parser), to an isomorphic graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

import sistercity_kg as sck
from sistercity_kg.terms import to_rdflib

TRIPLE_FORMATS = [sck.RdfFormat.TURTLE, sck.RdfFormat.N_TRIPLES, sck.RdfFormat.RDF_XML]
DATASET_FORMATS = [sck.RdfFormat.TRIG, sck.RdfFormat.N_QUADS, sck.RdfFormat.JSON_LD]


def _reparse(path: Path, fmt: sck.RdfFormat) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=fmt.oxigraph))


@pytest.mark.parametrize("fmt", TRIPLE_FORMATS, ids=lambda f: f.value)
def test_triple_formats_round_trip(bundled_kg: sck.KnowledgeGraph, tmp_path: Path, fmt: sck.RdfFormat) -> None:
    out = bundled_kg.export(tmp_path / f"kg.{fmt.suffixes[0]}")
    reparsed = Graph()
    for quad in _reparse(out, fmt):
        reparsed.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    original = bundled_kg.to_rdflib()
    assert len(reparsed) == len(original) > 500
    assert isomorphic(reparsed, original)


@pytest.mark.parametrize("fmt", DATASET_FORMATS, ids=lambda f: f.value)
def test_dataset_formats_round_trip_with_named_graphs(
    bundled_kg: sck.KnowledgeGraph, tmp_path: Path, fmt: sck.RdfFormat
) -> None:
    out = bundled_kg.export(tmp_path / f"kg.{fmt.suffixes[0]}")
    quads = _reparse(out, fmt)
    names = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert names == {str(g) for g in bundled_kg.graph_names()}
    for name in names:
        reparsed = Graph()
        for q in quads:
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == name:
                reparsed.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        original = bundled_kg.to_dataset().graph(name)
        assert isomorphic(reparsed, original), name


def test_turtle_is_deterministic_and_uses_the_prefixes(bundled_kg: sck.KnowledgeGraph) -> None:
    first = bundled_kg.serialize(format="turtle")
    assert first == sck.load().serialize(format="turtle")
    assert "@prefix sck: <https://w3id.org/sistercity-kg/ontology#> ." in first
    assert "@prefix actor: <https://w3id.org/sistercity-kg/id/actor/> ." in first
    assert "actor:bandung-city-government" in first and "\\/" not in first


def test_export_replaces_a_file_atomically(bundled_kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    target = tmp_path / "kg.ttl"
    target.write_text("old content\n", encoding="utf-8")
    bundled_kg.export(target)
    assert target.read_text(encoding="utf-8").startswith("@prefix")
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]  # no temporary file left behind


def test_exported_file_gets_ordinary_permissions(bundled_kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    import os
    import stat

    new = bundled_kg.export(tmp_path / "new.ttl")
    umask = os.umask(0o022)  # os.umask can only be read by setting it; restored at once
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    kept = tmp_path / "kept.ttl"
    kept.write_text("x", encoding="utf-8")
    kept.chmod(0o640)
    bundled_kg.export(kept)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_export_to_a_missing_folder_names_it_and_writes_nothing(bundled_kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(sck.ExportError, match="does not exist"):
        bundled_kg.export(tmp_path / "missing" / "kg.ttl")
    assert not (tmp_path / "missing").exists()


def test_unknown_suffix_is_refused_with_the_known_ones(bundled_kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(sck.UnsupportedFormatError, match=r"\.ttl"):
        bundled_kg.export(tmp_path / "kg.docx")
    assert list(tmp_path.iterdir()) == []


def test_dataset_export_keeps_graphs_apart(bundled_kg: sck.KnowledgeGraph) -> None:
    ds = Dataset()
    ds.parse(data=bundled_kg.serialize(format="trig"), format="trig")  # rdflib reads it too
    assert {str(g.identifier) for g in ds.graphs() if len(g)} >= {str(sck.SCKG["bandung-seoul"])}


@pytest.mark.parametrize("fmt", ["turtle", "n-quads", "trig"])
def test_export_does_not_depend_on_the_load_order(bundled_kg: sck.KnowledgeGraph, fmt: str) -> None:
    # Oxigraph iterates quads in insertion order and relabels blank nodes at every parse: the export
    # must sort and canonicalise, so the same graphs loaded the other way round give the same text.
    from sistercity_kg.resources import data_files, ontology_files

    reversed_kg = sck.KnowledgeGraph()
    for path in reversed([*ontology_files(), *data_files()]):
        reversed_kg.load_file(path)
    assert len(reversed_kg) == len(bundled_kg)
    text = reversed_kg.serialize(format=fmt)
    assert text == bundled_kg.serialize(format=fmt)
    assert "_:c14n0" in text  # the ontology's lists: blank nodes got their canonical labels
