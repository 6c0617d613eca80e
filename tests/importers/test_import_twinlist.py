"""The world twin list: the excerpt in the tests, and the real list when ../shared is there."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

import sistercity_kg as sck
from sistercity_kg.cli import main
from sistercity_kg.errors import LoadError
from sistercity_kg.importers import detect_kind
from sistercity_kg.namespaces import slugify

HERE = Path(__file__).resolve().parent
EXCERPT = HERE / "twin_excerpt.csv"
REAL = HERE.parent.parent.parent / "shared" / "data" / "twin_cities.csv"
SCK = "https://w3id.org/sistercity-kg/ontology#"
TWIN_GRAPH = "https://w3id.org/sistercity-kg/graph/twin-cities"

PARTNERS_OF = """
PREFIX sck: <https://w3id.org/sistercity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE {
  ?city rdfs:label "%s"@en ; sck:country/rdfs:label "%s"@en .
  ?actor sck:governs ?city .
  ?p sck:partnershipType <https://w3id.org/sistercity-kg/concept/partnership-type/twinning> ;
     sck:partner ?actor, ?other .
  FILTER (?other != ?actor)
  ?other sck:governs/rdfs:label ?name .
  FILTER (lang(?name) = "en")
}"""


def _partners(kg: sck.KnowledgeGraph, city: str, country: str) -> set[str]:
    return {str(r["name"]) for r in kg.sparql(PARTNERS_OF % (city, country)).rows}


def _expected_partners(path: Path, city: str, country: str) -> set[str]:
    """Bandung's partners as the file itself states them (read with csv, not with the importer)."""
    found = set()
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["city1"], row["country1"]) == (city, country):
                found.add(row["city2"])
            if (row["city2"], row["country2"]) == (city, country):
                found.add(row["city1"])
    return found


BANDUNG_PARTNERS = {"Braunschweig", "Fort Worth", "Suwon", "Liuzhou", "Yingkou", "Petaling Jaya", "Cotabato City", "Cuenca", "Namur"}


def test_excerpt_bandung_partners_and_validates() -> None:
    kg = sck.load()
    result = kg.import_twin_list(EXCERPT)
    assert result.rows == 20 and result.graph == TWIN_GRAPH
    assert sorted(result.skipped) == ["row 20: Nienburg (Germany) is twinned with itself", "row 21: no country2"]
    assert _partners(kg, "Bandung", "Indonesia") == BANDUNG_PARTNERS == _expected_partners(EXCERPT, "Bandung", "Indonesia")
    # the bundled Bandung is reused (found by name and country), not duplicated
    rows = kg.sparql('SELECT DISTINCT ?j WHERE { ?j a <%sJurisdiction> ; <http://www.w3.org/2000/01/rdf-schema#label> "Bandung"@en }' % SCK).rows
    assert [str(r["j"]) for r in rows] == ["https://w3id.org/sistercity-kg/id/jurisdiction/bandung"]
    assert list(kg.validate().violations) == []


def test_excerpt_same_name_distinct_repeated_city_one_node() -> None:
    kg = sck.load(include_data=False)
    kg.import_twin_list(EXCERPT)
    athens = kg.sparql(
        'SELECT DISTINCT ?j ?c WHERE { ?j a <%sJurisdiction> ; <http://www.w3.org/2000/01/rdf-schema#label> "Athens"@en ; <%scountry> ?c }'
        % (SCK, SCK)
    ).rows
    assert sorted(str(r["j"]).rsplit("/", 1)[-1] for r in athens) == ["athens-greece", "athens-united-states"]
    assert _partners(kg, "Athens", "Greece") == {"Athens", "Barcelona", "Chicago"}
    assert _partners(kg, "Athens", "United States") == {"Athens", "Cortona"}
    braunschweig = kg.sparql(
        'SELECT DISTINCT ?j WHERE { ?j <http://www.w3.org/2000/01/rdf-schema#label> "Braunschweig"@en }').rows
    assert len(braunschweig) == 1
    assert _partners(kg, "Braunschweig", "Germany") == {"Bandung", "Zhuhai", "Bath", "Nîmes"}
    point = kg.sparql(
        "SELECT ?lat ?long ?wkt WHERE { <https://w3id.org/sistercity-kg/id/jurisdiction/braunschweig-germany> "
        "<http://www.w3.org/2003/01/geo/wgs84_pos#lat> ?lat ; <http://www.w3.org/2003/01/geo/wgs84_pos#long> ?long ; "
        "<http://www.opengis.net/ont/geosparql#hasGeometry>/<http://www.opengis.net/ont/geosparql#asWKT> ?wkt }").rows
    assert [(str(r["lat"]), str(r["long"]), str(r["wkt"])) for r in point] == [("52.2667", "10.5167", "POINT(10.5167 52.2667)")]
    assert str(point[0]["lat"].datatype).endswith("#decimal")
    assert list(kg.validate().violations) == []


def test_excerpt_reimport_adds_nothing_and_provenance_is_the_row() -> None:
    kg = sck.load(include_data=False)
    assert kg.import_twin_list(EXCERPT).added > 0
    size = len(kg)
    assert kg.import_twin_list(EXCERPT).added == 0 and len(kg) == size
    rows = kg.sparql(
        "PREFIX sck: <https://w3id.org/sistercity-kg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?loc ?quote WHERE { <https://w3id.org/sistercity-kg/id/partnership/bandung-indonesia--namur-belgium--twinning> "
        "prov:wasDerivedFrom ?p . ?p sck:locator ?loc ; sck:quote ?quote }").rows
    assert [(str(r["loc"]), str(r["quote"])) for r in rows] == [("row 2", "Namur,Belgium,50.4667,4.8667,Bandung,Indonesia,-6.9218,107.6071")]


def test_kind_is_told_from_the_header(tmp_path: Path) -> None:
    assert detect_kind(EXCERPT) == "twin-list"
    assert detect_kind(HERE / "wikidata_p190.json") == "wikidata"
    other = tmp_path / "other.csv"
    other.write_text("name,population\nBandung,2500000\n", encoding="utf-8")
    with pytest.raises(LoadError, match="cannot tell the kind"):
        detect_kind(other)


def test_cli_import_twin_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "twins.nq"
    assert main(["import", str(EXCERPT), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "20 twin-list rows read" in text and "skipped row 20: Nienburg" in text
    assert f"<{TWIN_GRAPH}>" in out.read_text(encoding="utf-8")


@pytest.mark.skipif(not REAL.is_file(), reason=f"the real twin list is not at {REAL}")
def test_real_list() -> None:
    kg = sck.load(include_data=False)
    start = time.perf_counter()
    result = kg.import_twin_list(REAL)
    elapsed = time.perf_counter() - start
    assert result.rows == 25917
    pairs = kg.sparql(
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH <%s> { ?p a <%sPartnership> } }" % (TWIN_GRAPH, SCK)).rows
    # every row is a pair except those skipped (no country, or a city twinned with itself); a pair
    # listed from both sides with two spellings (Târgu-Jiu / Târgu Jiu) is one partnership
    distinct = set()
    with open(REAL, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if all(row[k] for k in ("city1", "country1", "city2", "country2")):
                ends = frozenset(slugify(f"{row[f'city{i}']} {row[f'country{i}']}") for i in "12")
                if len(ends) == 2:
                    distinct.add(ends)
    assert int(pairs[0]["n"]) == len(distinct)
    assert 25_800 < len(distinct) <= 25917 - len(result.skipped)
    assert _expected_partners(REAL, "Bandung", "Indonesia") == BANDUNG_PARTNERS
    assert _partners(kg, "Bandung", "Indonesia") == BANDUNG_PARTNERS
    assert elapsed < 300, "sanity bound only; see benchmarks/import_twin_list.py for timings"


def test_each_row_quote_is_the_rows_csv_text() -> None:
    """A passage quote read back as CSV gives its row's eight list cells (trimmed), line breaks included."""
    tricky = HERE / "twin_tricky.csv"
    with tricky.open(newline="", encoding="utf-8") as handle:
        rows = {number: cells for number, cells in enumerate(csv.reader(handle), start=1)}
    kg = sck.load(include_data=False)
    kg.import_twin_list(tricky)
    answer = kg.sparql(
        "SELECT ?locator ?quote WHERE { ?p a sck:Passage ; sck:locator ?locator ; sck:quote ?quote }"
    )
    quotes = {str(r["locator"]): str(r["quote"]) for r in answer.rows}
    assert quotes, "the tricky list gave no passages"
    for locator, quote in quotes.items():
        number = int(locator.removeprefix("row "))
        assert next(csv.reader([quote])) == [cell.strip() for cell in rows[number][:8]], locator
