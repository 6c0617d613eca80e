"""Spreadsheet imports: templates, English and Indonesian headers, row errors, idempotence."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import sistercity_kg as sck
from sistercity_kg.cli import main
from sistercity_kg.errors import ImportRowsError, LoadError
from sistercity_kg.importers.table import AGREEMENT_COLUMNS, write_templates

SCKID = "https://w3id.org/sistercity-kg/id/"
SCK = "https://w3id.org/sistercity-kg/ontology#"


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h, "") for h in header])
    return path


def _objects(kg: sck.KnowledgeGraph, s: str, p: str) -> set[str]:
    return {str(q.object.value) for q in kg._store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)}


def _violations(kg: sck.KnowledgeGraph) -> list[str]:
    return [f"{r.focus_node}: {r.message}" for r in kg.validate().violations]


AGREEMENT_HEADER = [c.en for c in AGREEMENT_COLUMNS]


def _agreement(**values: str) -> dict[str, str]:
    row = {
        "partner_1": "Surabaya City Government", "partner_1_type": "city", "partner_1_jurisdiction": "Surabaya",
        "partner_1_country": "Indonesia", "partner_2": "Busan Metropolitan City", "partner_2_type": "metropolitan",
        "partner_2_jurisdiction": "Busan", "partner_2_country": "South Korea", "partnership_type": "sister-city",
    }
    row.update(values)
    return row


def test_template_round_trip_validates(tmp_path: Path) -> None:
    files = write_templates(tmp_path)
    assert [f.name for f in files] == ["agreements.csv", "activities.csv", "README.md"]
    kg = sck.load(include_data=False)
    for path in files[:2]:
        assert kg.import_table(path).added > 0
    assert _violations(kg) == []
    partnership = SCKID + "partnership/bandung-seoul-sister-city"
    assert _objects(kg, partnership, SCK + "partner") == {
        SCKID + "actor/bandung-city-government", SCKID + "actor/seoul-metropolitan-government"}
    assert _objects(kg, SCKID + "activity/little-bandung-in-seoul", SCK + "partOf") == {partnership}


def test_template_example_reuses_the_bundled_nodes(tmp_path: Path, fresh_kg: sck.KnowledgeGraph) -> None:
    files = write_templates(tmp_path)
    partnerships_before = len(fresh_kg.sparql("SELECT DISTINCT ?p WHERE { ?p a <%sPartnership> }" % SCK).rows)
    for path in files[:2]:
        fresh_kg.import_table(path)
    assert len(fresh_kg.sparql("SELECT DISTINCT ?p WHERE { ?p a <%sPartnership> }" % SCK).rows) == partnerships_before
    # Bandung found by name and country: no second Bandung jurisdiction
    rows = fresh_kg.sparql('SELECT DISTINCT ?j WHERE { ?j a <%sJurisdiction> ; <http://www.w3.org/2000/01/rdf-schema#label> "Bandung"@en }' % SCK).rows
    assert [str(r["j"]) for r in rows] == [SCKID + "jurisdiction/bandung"]
    assert _violations(fresh_kg) == []


def test_indonesian_headers_give_the_same_data(tmp_path: Path) -> None:
    graphs = []
    for lang in ("en", "id"):
        folder = tmp_path / lang
        files = write_templates(folder, lang=lang)
        kg = sck.load(include_data=False)
        for path in files[:2]:
            kg.import_table(path, graph="https://example.org/imported")
        claims = {
            (q.subject.value, q.predicate.value, str(q.object))
            for q in kg._store.quads_for_pattern(None, None, None, ox.NamedNode("https://example.org/imported"))
            if "/passage/" not in q.subject.value and "/source/" not in q.subject.value
            and q.predicate.value != "http://www.w3.org/ns/prov#wasDerivedFrom"
        }
        graphs.append(claims)
    header = (tmp_path / "id" / "agreements.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id_kemitraan,mitra_1,jenis_mitra_1,wilayah_mitra_1")
    assert graphs[0] == graphs[1] and len(graphs[0]) > 20


def test_every_date_form_and_which_was_read(tmp_path: Path) -> None:
    rows = [
        _agreement(agreement_title="LoI Surabaya–Busan", stage="letter of intent", signing_date="24 Mei 2015"),
        _agreement(agreement_title="MoU Surabaya–Busan", stage="nota kesepahaman", signing_date="24/05/2016",
                   start_date="Mei 2016", end_date="2021", term="5 tahun", fields="pariwisata; culture"),
    ]
    path = _write(tmp_path / "agreements.csv", AGREEMENT_HEADER, rows)
    kg = sck.load(include_data=False)
    result = kg.import_table(path)
    assert result.date_forms == {
        (2, "signing_date"): "day-month-name-year",
        (3, "signing_date"): "day/month/year",
        (3, "start_date"): "month-name-year",
        (3, "end_date"): "year",
    }
    mou = SCKID + "agreement/mou-surabaya-busan"
    assert _objects(kg, mou, SCK + "signingDate") == {"2016-05-24"}
    assert _objects(kg, mou, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == {SCK + "MemorandumOfUnderstanding"}
    partnership = SCKID + "partnership/busan--surabaya--sister-city"  # jurisdictions named as the curated data names them
    assert _objects(kg, partnership, SCK + "startDate") == {"2016-05"}
    assert _objects(kg, partnership, SCK + "term") == {"P5Y"}
    assert _objects(kg, partnership, SCK + "field") == {
        "https://w3id.org/sistercity-kg/concept/field/tourism", "https://w3id.org/sistercity-kg/concept/field/culture"}
    assert _violations(kg) == []


#: A spreadsheet with five different kinds of mistakes: (row, column) -> the mistake.
FIVE_MISTAKES = {
    (1, "budget"): "an unknown column",
    (2, "signing_date"): "a date that is not a date",
    (3, "partner_2"): "a missing partner",
    (4, "partnership_type"): "a value outside its scheme",
    (5, "term"): "a term that is not a duration",
}


def _five_mistakes(path: Path) -> Path:
    rows = [
        _agreement(signing_date="32/13/2015", agreement_title="A"),
        _agreement(partner_2=""),
        _agreement(partnership_type="alliance"),
        _agreement(term="forever"),
    ]
    return _write(path, AGREEMENT_HEADER + ["budget"], rows)


def test_five_different_mistakes_all_reported_and_nothing_added(tmp_path: Path, fresh_kg: sck.KnowledgeGraph) -> None:
    path = _five_mistakes(tmp_path / "mistakes.csv")
    before = set(fresh_kg._store.quads_for_pattern(None, None, None, None))
    with pytest.raises(ImportRowsError) as info:
        fresh_kg.import_table(path)
    assert sorted((e.row, e.column) for e in info.value.errors) == sorted(FIVE_MISTAKES)
    assert all(e.path == path and e.expected for e in info.value.errors)
    message = str(info.value)
    assert "mistakes.csv, row 4, column 'partnership_type': got 'alliance'; expected a concept of the partnership-type scheme" in message
    assert "row 5, column 'term': got 'forever'; expected a term such as P5Y" in message
    assert set(fresh_kg._store.quads_for_pattern(None, None, None, None)) == before


def test_cli_lists_the_five_mistakes_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _five_mistakes(tmp_path / "mistakes.csv")
    out = tmp_path / "out.trig"
    assert main(["import", str(path), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    lines = [line.strip() for line in captured.err.splitlines() if "mistakes.csv, row" in line]
    assert sorted(lines) == sorted(set(lines)) and len(lines) == 5
    for (row, column), line in zip(sorted(FIVE_MISTAKES), sorted(lines, key=lambda t: int(t.split("row ")[1].split(",")[0]))):
        assert line.startswith(f"mistakes.csv, row {row}, column {column!r}: ")
    assert "5 row error(s), nothing was imported" in captured.err
    assert not out.exists()


def test_activity_errors_name_the_partnership_and_actors(tmp_path: Path, fresh_kg: sck.KnowledgeGraph) -> None:
    header = ["kemitraan", "judul", "jenis_kegiatan", "bidang", "status", "penyedia", "tanggal_mulai"]
    rows = [
        {"kemitraan": "no-such-partnership", "judul": "X", "jenis_kegiatan": "study visit", "bidang": "culture", "status": "ongoing"},
        {"kemitraan": "bandung-seoul-sister-city", "judul": "Y", "jenis_kegiatan": "study-visit", "bidang": "kebudayaan",
         "status": "sedang berjalan?", "penyedia": "Jakarta Provincial Government", "tanggal_mulai": "Mei 2015"},
    ]
    path = _write(tmp_path / "activities.csv", header, rows)
    with pytest.raises(ImportRowsError) as info:
        fresh_kg.import_table(path)
    assert sorted((e.row, e.column) for e in info.value.errors) == [(2, "kemitraan"), (3, "penyedia"), (3, "status")]


def test_conflict_with_the_graph_is_a_row_error(tmp_path: Path, fresh_kg: sck.KnowledgeGraph) -> None:
    files = write_templates(tmp_path)
    text = files[0].read_text(encoding="utf-8").replace(",sister-city,", ",friendship,")
    files[0].write_text(text, encoding="utf-8")
    with pytest.raises(ImportRowsError) as info:
        fresh_kg.import_table(files[0])
    [error] = info.value.errors
    assert (error.row, error.column, error.value) == (2, "partnership_type", "https://w3id.org/sistercity-kg/concept/partnership-type/friendship")
    assert "reconcile" in error.expected


def test_reimport_is_idempotent(tmp_path: Path) -> None:
    path = _write(tmp_path / "agreements.csv", AGREEMENT_HEADER, [_agreement(start_date="2015")])
    kg = sck.load(include_data=False)
    first = kg.import_table(path)
    size = len(kg)
    second = kg.import_table(path)
    assert first.added > 0 and second.added == 0 and len(kg) == size


def test_xlsx_workbook_with_both_sheets(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl", reason="the [xlsx] extra (openpyxl) is not installed")
    files = write_templates(tmp_path, xlsx=True)
    workbook = files[-1]
    assert workbook.name == "cooperation.xlsx"
    kg = sck.load(include_data=False)
    result = kg.import_table(workbook)
    assert result.kind == "activities+agreements" and result.rows == 2
    assert _objects(kg, SCKID + "activity/little-bandung-in-seoul", SCK + "quantity") == {"2"}
    assert _violations(kg) == []


def test_xlsx_without_openpyxl_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # makes `import openpyxl` fail
    with pytest.raises(LoadError, match=r"sistercity-kg\[xlsx\]"):
        sck.load(include_data=False).import_table(path)


def test_cli_template_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", str(tmp_path / "t")]) == 0
    out = tmp_path / "imported.trig"
    code = main(["import", str(tmp_path / "t" / "agreements.csv"), str(tmp_path / "t" / "activities.csv"), "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "agreements.csv: 1 agreements rows read" in text and "conforms" in text
    assert "little-bandung-in-seoul" in out.read_text(encoding="utf-8")


def test_cli_import_errors_exit_2_listing_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "bad.csv", AGREEMENT_HEADER, [_agreement(start_date="kemarin"), _agreement(partner_1_country="")])
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "row 2, column 'start_date'" in err and "row 3, column 'partner_1_country'" in err
