"""Wikidata files (saved SPARQL results and entity documents) and the reconciliation report."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import sistercity_kg as sck
from sistercity_kg.cli import main
from sistercity_kg.errors import LoadError
from sistercity_kg.importers.reconcile import quickstatements

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "wikidata_p190.json"
ENTITIES = HERE / "wikidata_entities.json"
SCKID = "https://w3id.org/sistercity-kg/id/"
SCK = "https://w3id.org/sistercity-kg/ontology#"


def _values(kg: sck.KnowledgeGraph, s: str, p: str) -> set[str]:
    return {str(q.object) for q in kg._store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)}


def test_results_file_maps_to_the_model() -> None:
    kg = sck.load()
    result = kg.import_wikidata(RESULTS)
    assert result.rows == 5 and result.graph.endswith("/graph/wikidata")
    # Bandung matched by its Wikidata ID: the bundled node, with the Korean label from the file
    assert '"반둥"@ko' in _values(kg, SCKID + "jurisdiction/bandung", "http://www.w3.org/2000/01/rdf-schema#label")
    fort_worth = SCKID + "partnership/bandung--fort-worth-united-states--wikidata"
    assert _values(kg, fort_worth, SCK + "startDate") == {'"1990-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'}
    assert _values(kg, fort_worth, SCK + "endDate") == {'"2010"^^<http://www.w3.org/2001/XMLSchema#gYear>'}
    braunschweig = SCKID + "partnership/bandung--braunschweig-germany--wikidata"
    assert _values(kg, braunschweig, SCK + "startDate") == {'"1960"^^<http://www.w3.org/2001/XMLSchema#gYear>'}
    # the other side's different start date is reported, not silently merged
    assert any("1961 differs from 1960" in s for s in result.skipped)
    assert any("Q999999999" in s for s in result.skipped)
    # Seoul has no P190: it is there (matched by Q8684), but in no Wikidata partnership
    rows = kg.sparql(
        "SELECT ?p WHERE { GRAPH <https://w3id.org/sistercity-kg/graph/wikidata> { ?p a <%sPartnership> } "
        "?p <%spartner>/<%sgoverns> <%sjurisdiction/seoul> }" % (SCK, SCK, SCK, SCKID)).rows
    assert rows == ()
    assert list(kg.validate().violations) == []


def test_entity_documents() -> None:
    kg = sck.load(include_data=False)
    result = kg.import_wikidata(ENTITIES)
    assert result.skipped == []
    node = SCKID + "partnership/bandung-indonesia--braunschweig-germany--wikidata"
    assert _values(kg, node, SCK + "startDate") == {'"1960"^^<http://www.w3.org/2001/XMLSchema#gYear>'}
    assert _values(kg, SCKID + "jurisdiction/bandung-indonesia", "http://www.w3.org/2004/02/skos/core#exactMatch") == {
        "<http://www.wikidata.org/entity/Q10389>"}
    assert list(kg.validate().violations) == []
    assert kg.import_wikidata(ENTITIES).added == 0


def test_not_wikidata(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"cities": []}', encoding="utf-8")
    with pytest.raises(LoadError, match="Wikidata"):
        sck.load(include_data=False).import_wikidata(path)


def test_reconcile_sources() -> None:
    kg = sck.load()
    kg.import_wikidata(RESULTS)
    kg.import_twin_list(HERE / "twin_excerpt.csv")
    report = kg.reconcile()
    twin, wikidata, curated = (f"https://w3id.org/sistercity-kg/graph/{g}" for g in ("twin-cities", "wikidata", "bandung-seoul"))
    # Bandung–Seoul is in the curated data (and its news sources), in neither the list nor Wikidata
    bandung_seoul = report.pair("Bandung", "Seoul")
    assert bandung_seoul is not None and curated in bandung_seoul.graphs
    assert not {twin, wikidata} & set(bandung_seoul.graphs)
    assert {p.label for p in report.in_both(twin, wikidata)} == {
        "Bandung (Indonesia) – Braunschweig (Germany)", "Bandung (Indonesia) – Fort Worth (United States)"}
    assert report.conflicts == []
    csv_text = report.to_csv()
    assert csv_text.splitlines()[0] == "pair,graph,partnership,type,start,end,term,conflicts,sources"


def test_reconcile_keeps_both_conflicting_values(tmp_path: Path) -> None:
    kg = sck.load(include_data=False)
    kg.import_wikidata(RESULTS)
    # a spreadsheet states the Bandung–Braunschweig twinning with another start
    sheet = tmp_path / "agreements.csv"
    sheet.write_text(
        "partner_1,partner_1_jurisdiction,partner_1_country,partner_2,partner_2_jurisdiction,partner_2_country,"
        "partnership_type,start_date\nBandung City Government,Bandung,Indonesia,Braunschweig City Government,"
        "Braunschweig,Germany,twinning,1965\n", encoding="utf-8")
    kg.import_table(sheet)
    report = kg.reconcile()
    [conflict] = report.conflicts
    assert conflict.pair == "Bandung (Indonesia) – Braunschweig (Germany)" and conflict.attribute == "start"
    assert {v: sorted(s.graph.rsplit("/", 1)[-1] for s in sts) for v, sts in conflict.values.items()} == {
        "1960": ["wikidata"], "1965": ["agreements"]}
    assert "| Bandung (Indonesia) – Braunschweig (Germany) | start | 1965 |" in report.to_markdown()
    assert list(kg.validate().violations) == []


def test_cli_reconcile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reconcile", str(RESULTS), "--quiet", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Reconciliation: 3 pairs, 0 conflicts")


def test_quickstatements_patch_adds_what_wikidata_lacks(tmp_path: Path) -> None:
    kg = sck.load()
    kg.import_wikidata(RESULTS)
    curated_quote = str(kg.sparql(
        "SELECT ?q WHERE { <%spassage/thesis-bab-v-paragraph-1> <%squote> ?q }" % (SCKID, SCK)).rows[0]["q"])
    patch = quickstatements(kg).splitlines()
    # Bandung–Seoul is in the curated data and not in Wikidata: P190 both ways, with the reference
    reference = ["S958", '"BAB V, paragraph 1"', "S1683", f'id:"{curated_quote}"', "S1476", 'id:"BAB V Kesimpulan"']
    assert [line.split("\t") for line in patch] == [
        ["Q10389", "P190", "Q8684", *reference], ["Q8684", "P190", "Q10389", *reference]]


def test_quickstatements_dates_and_pairs_without_ids(tmp_path: Path) -> None:
    kg = sck.load(include_data=False)
    kg.import_wikidata(RESULTS)
    sheet = tmp_path / "office.csv"  # the Wikidata IDs of Cuenca and Namur here are illustrative
    sheet.write_text(
        "partner_1,partner_1_jurisdiction,partner_1_country,partner_1_wikidata,partner_2,partner_2_jurisdiction,"
        "partner_2_country,partner_2_wikidata,partnership_type,start_date,end_date\n"
        "Bandung City Government,Bandung,Indonesia,Q10389,Cuenca City Government,Cuenca,Ecuador,Q900001,sister-city,"
        "24/05/2015,2020\n"
        "Bandung City Government,Bandung,Indonesia,Q10389,Namur City Government,Namur,Belgium,,sister-city,Mei 2016,\n"
        "Bandung City Government,Bandung,Indonesia,Q10389,Braunschweig City Government,Braunschweig,Germany,,twinning,"
        "1960,\n", encoding="utf-8")
    kg.import_table(sheet)
    patch = quickstatements(kg, source="https://w3id.org/sistercity-kg/graph/office").splitlines()
    dates = ["P580", "+2015-05-24T00:00:00Z/11", "P582", "+2020-00-00T00:00:00Z/9"]
    assert patch == [
        "\t".join(["Q10389", "P190", "Q900001", *dates]),
        "\t".join(["Q900001", "P190", "Q10389", *dates]),
        "/* Bandung (Indonesia) – Namur (Belgium): no Wikidata ID for both places, cannot be written */",
    ]  # Braunschweig is in Wikidata already; rows without source + quote give no reference


def test_cli_reconcile_quickstatements(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reconcile", str(RESULTS), "--quiet", "--quickstatements"]) == 0
    assert [line.split("\t")[:3] for line in capsys.readouterr().out.splitlines()] == [
        ["Q10389", "P190", "Q8684"], ["Q8684", "P190", "Q10389"]]
