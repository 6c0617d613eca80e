"""Bad input never corrupts and never crashes: every loader answers with one of the library's
errors naming the file, line and column (or row) and what was expected, and leaves the graph
exactly as it was (compared as sorted N-Quads before and after).

docs/bad-input.md lists every case with what the user sees; each row names its test here.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from bad_inputs import CASES, BadRdf

import sistercity_kg as sck
from sistercity_kg.cli import EXIT_ERROR, main
from sistercity_kg.inputs import MAX_QUERY_NESTING
from sistercity_kg.validation import load_shapes

EX = "urn:ex:"
SEED = (
    f"<{EX}bandung> <{EX}partnerOf> <{EX}seoul> .\n"
    f'<{EX}bandung> <http://www.w3.org/2000/01/rdf-schema#label> "Bandung"@id .\n'
    f"<{EX}bandung> <{EX}knows> [ <{EX}name> \"a blank node\" ] .\n"
)


@pytest.fixture
def kg() -> sck.KnowledgeGraph:
    """A small graph with a blank node: what a bad load must leave exactly as it was."""
    graph = sck.KnowledgeGraph()
    graph.load_data(SEED, format="turtle", graph="https://example.org/seed")
    return graph


def canonical(kg: sck.KnowledgeGraph) -> str:
    return kg.serialize(format="n-quads")


def assert_names_position(message: str, path: Path, line: int | None, column: int | None) -> None:
    assert str(path) in message, message
    if line is not None:
        assert f"line {line}" in message, message
    if column is not None:
        assert f"column {column}" in message, message


# ---------------------------------------------------------------------------------------
# RDF files: KnowledgeGraph.load_file
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_load_file_bad_rdf(case: BadRdf, kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.content)
    before, count = canonical(kg), len(kg)
    if case.error is None:
        assert kg.load_file(path) == case.added
        assert len(kg) == count + case.added
        return
    with pytest.raises(getattr(sck, case.error)) as caught:
        kg.load_file(path)
    message = str(caught.value)
    assert_names_position(message, path, case.line, case.column)
    assert re.search(case.pattern, message), message
    assert "\n" not in message
    assert canonical(kg) == before


def test_load_file_huge_literal_50mb(kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    """Oxigraph's parsers hold one term in a buffer of at most 16 MB: a 50 MB literal is refused
    with that limit named, in well under a second, and the graph is unchanged; 10 MB loads."""
    huge, unterminated, large = tmp_path / "huge.nt", tmp_path / "huge-unterminated.nt", tmp_path / "large.nt"
    huge.write_text(f'<{EX}a> <{EX}p> "{"x" * 50_000_000}" .\n', encoding="utf-8")
    unterminated.write_text(f'<{EX}a> <{EX}p> "{"x" * 50_000_000} .\n', encoding="utf-8")
    large.write_text(f'<{EX}a> <{EX}p> "{"x" * 10_000_000}" .\n', encoding="utf-8")
    before = canonical(kg)
    start = time.perf_counter()
    for path in (huge, unterminated):
        with pytest.raises(sck.LoadError, match=re.escape(f"{path}: Reached the buffer maximal size of 16777216; expected every literal and IRI below 16 MB")):
            kg.load_file(path)
        assert canonical(kg) == before
    assert kg.load_file(large) == 1
    (row,) = kg.sparql(f"SELECT (STRLEN(?o) AS ?n) WHERE {{ <{EX}a> <{EX}p> ?o }}").rows
    assert int(row["n"]) == 10_000_000
    assert time.perf_counter() - start < 30


def test_load_file_deeply_nested_then_export_and_query(kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    """10,000 nested [ ] (RDFC-1.0 needed 6 s for 300 and crashed on 100,000): export and queries
    afterwards neither crash nor hang."""
    path = tmp_path / "brackets.ttl"
    path.write_bytes(b"<urn:ex:a> <urn:ex:p> " + b"[ <urn:ex:p> " * 10_000 + b"1" + b" ]" * 10_000 + b" .\n")
    kg.load_file(path)
    start = time.perf_counter()
    for fmt in ("turtle", "trig", "n-quads", "json-ld", "rdf-xml"):
        assert kg.serialize(format=fmt)
    assert int(kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]) == len(kg)
    assert time.perf_counter() - start < 30


def test_load_file_directory(kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    folder = tmp_path / "data.ttl"
    folder.mkdir()
    before = canonical(kg)
    with pytest.raises(sck.LoadError, match=re.escape(f"{folder}: is a folder, not a file; give the path of an RDF file.")):
        kg.load_file(folder)
    assert canonical(kg) == before


def test_load_file_missing(kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(sck.MissingFileError, match="nowhere.ttl: no such file"):
        kg.load_file(tmp_path / "nowhere.ttl")


def _load_as_nobody(path: Path) -> str:
    """Load ``path`` in a forked child running as user 'nobody' (65534) when we are root (root may
    read any file: os.access says yes). Returns "<error class>|<message>|<quads in the graph>"."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: no pytest machinery, report through the pipe, leave with os._exit
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            graph = sck.KnowledgeGraph()
            try:
                graph.load_file(path)
                answer = "loaded"
            except sck.SisterCityKGError as exc:
                answer = f"{type(exc).__name__}|{exc}|{len(graph)}"
            os.write(write_end, answer.encode("utf-8"))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test
            os.write(write_end, f"child failed: {exc!r}".encode("utf-8"))
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as pipe:
        return pipe.read().decode("utf-8")


def test_load_file_unreadable() -> None:
    """chmod 000 on a file in a folder everyone may enter: 'permission denied', nothing loaded."""
    folder = Path(tempfile.mkdtemp(prefix="sistercity-kg-unreadable-"))
    try:
        folder.chmod(0o755)
        path = folder / "secret.ttl"
        path.write_text(f"<{EX}a> <{EX}p> <{EX}o> .\n", encoding="utf-8")
        path.chmod(0)
        answer = _load_as_nobody(path)
    finally:
        shutil.rmtree(folder)
    assert answer == f"LoadError|{path}: cannot be read (permission denied); make it readable to this user.|0"


def test_load_file_in_a_folder_that_cannot_be_entered(tmp_path: Path) -> None:
    """pytest's own temporary folders are private (0700): 'nobody' cannot even look inside."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    path = private / "data.ttl"
    path.write_text(f"<{EX}a> <{EX}p> <{EX}o> .\n", encoding="utf-8")
    answer = _load_as_nobody(path)
    assert answer == f"LoadError|{path}: cannot be read (permission denied); make it readable to this user.|0"


def test_load_file_non_ascii_path_loads(kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    folder = tmp_path / "d\u00e9p\u00f4t-\uc11c\uc6b8"
    folder.mkdir()
    path = folder / "kota-\u6771\u4eac.ttl"
    path.write_text(f"<{EX}a> <{EX}p> <{EX}o> .\n", encoding="utf-8")
    assert kg.load_file(path) == 1


def test_load_file_unknown_suffix(kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "data.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(sck.UnsupportedFormatError, match=r"data\.docx: cannot tell the RDF format"):
        kg.load_file(path)


def test_load_file_remote_jsonld_context_never_fetched(kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    """A remote @context is refused with advice (tests/test_safe_queries.py shows no request is made)."""
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "https://schema.org/", "@id": "urn:ex:a", "name": "x"}', encoding="utf-8")
    before = canonical(kg)
    with pytest.raises(sck.RdfSyntaxError, match=r"remote @context.*never fetches.*expected the context inline"):
        kg.load_file(path)
    assert canonical(kg) == before


# ---------------------------------------------------------------------------------------
# Importers: spreadsheets, twin lists, Wikidata JSON
# ---------------------------------------------------------------------------------------

AGREEMENTS = (
    "partner_1,partner_1_jurisdiction,partner_1_country,partner_2,partner_2_jurisdiction,partner_2_country,"
    "partnership_type\nBandung City Government,Bandung,Indon\u00e9sia,Seoul Metropolitan Government,Seoul,"
    "South Korea,sister-city\n"
)
TWIN = "city1,country1,lat1,lng1,city2,country2,lat2,lng2\nBandung,Indon\u00e9sia,-6.9,107.6,Seoul,South Korea,37.5,127.0\n"

TABLE_CASES = [
    ("table-latin-1", "agreements.csv", AGREEMENTS.encode("latin-1"), r", line 2, column \d+: the file is Latin-1 or Windows-1252; expected UTF-8"),
    ("table-utf-16", "agreements.csv", AGREEMENTS.encode("utf-16"), r", line 1, column 1: the file is UTF-16 \(little-endian, with a byte-order mark\); expected UTF-8"),
    ("table-binary", "agreements.csv", bytes(range(256)) * 8, r", line 1, column 1: the file is binary data \(NUL bytes\), not text"),
    ("table-empty", "agreements.csv", b"", r": the file is empty; expected a header row and data rows"),
    ("table-xlsx-garbage", "agreements.xlsx", bytes(range(256)) * 8, r": not a readable \.xlsx workbook"),
    ("table-xlsx-empty", "agreements.xlsx", b"", r": not a readable \.xlsx workbook"),
]
TWIN_CASES = [
    ("twin-latin-1", "twins.csv", TWIN.encode("latin-1"), r", line 2, column \d+: the file is Latin-1 or Windows-1252; expected UTF-8"),
    ("twin-nul-byte", "twins.csv", TWIN.replace("Seoul", "Se\0oul").encode(), r", line 2, column \d+: the file is binary data \(NUL bytes\)"),
    ("twin-huge-field", "twins.csv", (TWIN.split("\n")[0] + "\n" + "x" * 200_000 + ",a,1,2,b,c,3,4\n").encode(), r", line 2: not a readable CSV row \(field larger than field limit"),
    ("twin-wrong-header", "twins.csv", b"name,population\nBandung,2500000\n", r": not a twin list; expected the header city1,country1"),
    ("twin-empty", "twins.csv", b"", r": not a twin list; expected the header"),
]
WIKIDATA_CASES = [
    ("wikidata-truncated-json", "p190.json", b'{"head": {"vars": []}, "results": ', r", line 1, column 35: not JSON \(Expecting value\); expected a Wikidata JSON file"),
    ("wikidata-latin-1", "p190.json", '{"head": {"vars": []}, "results": {"bindings": [{"itemLabel": {"value": "Bandung \u00e9"}}]}}'.encode("latin-1"), r", line 1, column \d+: the file is Latin-1 or Windows-1252"),
    ("wikidata-wrong-shape", "p190.json", b'{"head": {"vars": []}, "results": {"bindings": [1, "x", null]}}', r": JSON of an unexpected shape .*; expected Wikidata SPARQL JSON results"),
    ("wikidata-entities-wrong-shape", "p190.json", b'{"entities": {"Q1": 5}}', r": JSON of an unexpected shape"),
    ("wikidata-not-wikidata", "p190.json", b'{"hello": "world"}', r": expected Wikidata SPARQL JSON results"),
    ("wikidata-nested-100k", "p190.json", b"[" * 100_000 + b"]" * 100_000, r": the JSON is nested too deeply to read"),
    ("wikidata-empty", "p190.json", b"", r", line 1, column 1: not JSON"),
]


def _import_case(kg: sck.KnowledgeGraph, tmp_path: Path, method: str, name: str, content: bytes, pattern: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = canonical(kg)
    with pytest.raises(sck.LoadError) as caught:
        getattr(kg, method)(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert re.search(pattern, message), message
    assert canonical(kg) == before


@pytest.mark.parametrize("case_id, name, content, pattern", TABLE_CASES, ids=[c[0] for c in TABLE_CASES])
def test_import_table_bad_input(case_id: str, name: str, content: bytes, pattern: str, kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    if name.endswith(".xlsx"):
        pytest.importorskip("openpyxl")
    _import_case(kg, tmp_path, "import_table", name, content, pattern)


@pytest.mark.parametrize("case_id, name, content, pattern", TWIN_CASES, ids=[c[0] for c in TWIN_CASES])
def test_import_twin_list_bad_input(case_id: str, name: str, content: bytes, pattern: str, kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    _import_case(kg, tmp_path, "import_twin_list", name, content, pattern)


@pytest.mark.parametrize("case_id, name, content, pattern", WIKIDATA_CASES, ids=[c[0] for c in WIKIDATA_CASES])
def test_import_wikidata_bad_input(case_id: str, name: str, content: bytes, pattern: str, kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    _import_case(kg, tmp_path, "import_wikidata", name, content, pattern)


def test_import_twin_list_row_without_letters_is_skipped(kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    """Found by the long fuzzing profile: a country named "-" made slugify raise ValueError."""
    path = tmp_path / "twins.csv"
    path.write_text("city1,country1,lat1,lng1,city2,country2,lat2,lng2\nBandung,-,-6.9,107.6,Seoul,South Korea,37.5,127.0\n", encoding="utf-8")
    result = kg.import_twin_list(path)
    assert result.skipped == ["row 2: country1 '-' has no letter or digit"]


@pytest.mark.parametrize("method", ["import_table", "import_twin_list", "import_wikidata"])
def test_importers_refuse_a_directory(method: str, kg: sck.KnowledgeGraph, tmp_path: Path) -> None:
    folder = tmp_path / "input.csv"
    folder.mkdir()
    with pytest.raises(sck.LoadError, match=re.escape(f"{folder}: is a folder, not a file")):
        getattr(kg, method)(folder)


def test_import_table_utf8_bom_accepted(tmp_path: Path) -> None:
    """Spreadsheet programs write a UTF-8 byte-order mark: accepted."""
    kg = sck.load()
    path = tmp_path / "agreements.csv"
    path.write_bytes(AGREEMENTS.encode("utf-8-sig"))
    assert kg.import_table(path).added > 0


# ---------------------------------------------------------------------------------------
# Shapes loader
# ---------------------------------------------------------------------------------------

SHAPES_CASES = [
    ("shapes-syntax", b"<urn:ex:S> a .\n", r"The shapes are not valid Turtle: .*, line 1, column 14: "),
    ("shapes-latin-1", '<urn:ex:S> <urn:ex:p> "\u00e9" .\n'.encode("latin-1"), r"The shapes could not be read: .*, line 1, column 24: the file is Latin-1"),
    ("shapes-utf-16", "<urn:ex:S> <urn:ex:p> 1 .\n".encode("utf-16"), r"the file is UTF-16 \(little-endian, with a byte-order mark\)"),
    ("shapes-nested-100k", b"<urn:ex:S> <urn:ex:p> " + b"(" * 100_000 + b")" * 100_000 + b" .\n", r"nested too deeply for rdflib's Turtle parser"),
]


@pytest.mark.parametrize("case_id, content, pattern", SHAPES_CASES, ids=[c[0] for c in SHAPES_CASES])
def test_load_shapes_bad_input(case_id: str, content: bytes, pattern: str, tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_bytes(content)
    with pytest.raises(sck.ShapesError) as caught:
        load_shapes(path)
    assert str(path) in str(caught.value)
    assert re.search(pattern, str(caught.value)), str(caught.value)


def test_load_shapes_directory_and_missing(tmp_path: Path) -> None:
    with pytest.raises(sck.ShapesError, match="is a folder, not a file"):
        load_shapes(tmp_path)
    with pytest.raises(sck.ShapesError, match="no such shapes file"):
        load_shapes(tmp_path / "missing.ttl")


# ---------------------------------------------------------------------------------------
# SPARQL
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case_id, query, pattern",
    [
        ("sparql-malformed", "SELECT * WHERE { ?s ?p }", r"The SPARQL query is malformed: error at 1:\d+: expected"),
        ("sparql-empty", "", r"The SPARQL query is malformed: error at 1:1"),
        ("sparql-binary", "\x00\x01\x02", r"The SPARQL query is malformed"),
        ("sparql-nested-100k", "SELECT * WHERE {" + "{" * 100_000 + "}" * 100_000 + "}", rf"100001 levels deep; expected at most {MAX_QUERY_NESTING}"),
        ("sparql-nested-parentheses", "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", r"levels deep"),
        ("sparql-unknown-prefix", "SELECT * WHERE { ?s nowhere:p ?o }", r"uses the prefix nowhere: without declaring it; add a line such as PREFIX nowhere:"),
    ],
)
def test_query_bad_input(case_id: str, query: str, pattern: str, kg: sck.KnowledgeGraph) -> None:
    before = canonical(kg)
    with pytest.raises(sck.QueryError) as caught:
        kg.query(query)
    assert re.search(pattern, str(caught.value)), str(caught.value)
    assert canonical(kg) == before


def test_query_nesting_below_the_limit_runs(kg: sck.KnowledgeGraph) -> None:
    depth = MAX_QUERY_NESTING - 2
    query = "SELECT * WHERE {" + "{" * depth + f" ?s <{EX}partnerOf> ?o " + "}" * depth + "}"
    assert len(kg.sparql(query).rows) == 1
    # brackets inside strings, IRIs and comments do not count
    assert len(kg.sparql(f'SELECT * WHERE {{ ?s <{EX}partnerOf> ?o FILTER(STR(?o) != "{{{{" ) }} # {"{" * 1000}').rows) == 1


def test_query_not_text(kg: sck.KnowledgeGraph) -> None:
    with pytest.raises(sck.QueryError, match="is text; got a bytes"):
        kg.sparql(b"SELECT * WHERE { ?s ?p ?o }")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Command line: one line on stderr, exit 2, no traceback unless --debug
# ---------------------------------------------------------------------------------------


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", [c for c in CASES if c.error][:8], ids=[c.id for c in CASES if c.error][:8])
def test_cli_bad_rdf_one_line_exit_2(case: BadRdf, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.content)
    code, err = _cli(["validate", str(path)], capsys)
    assert code == EXIT_ERROR
    assert err.count("\n") == 1 and err.startswith("sistercity-kg: error: ") and str(path) in err
    assert "Traceback" not in err


def test_cli_debug_shows_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes('<urn:ex:a> <urn:ex:p> "caf\u00e9" .\n'.encode("latin-1"))
    code, err = _cli(["--debug", "validate", str(path)], capsys)
    assert code == EXIT_ERROR and "Traceback" in err and "expected UTF-8" in err


@pytest.mark.parametrize(
    "argv_tail, content, name",
    [
        (["import"], AGREEMENTS.encode("latin-1"), "agreements.csv"),
        (["import"], TWIN.encode("utf-16"), "twins.csv"),
        (["import"], b"[" * 100_000 + b"]" * 100_000, "p190.json"),
        (["query"], ("SELECT * WHERE {" + "{" * 10_000 + "}" * 10_000 + "}").encode(), "deep.rq"),
    ],
    ids=["import-latin-1", "import-utf-16", "import-nested-json", "query-nested"],
)
def test_cli_bad_import_and_query_exit_2(
    argv_tail: list[str], content: bytes, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, err = _cli(argv_tail + [str(path)], capsys)
    assert code == EXIT_ERROR, err
    assert err.count("\n") == 1 and err.startswith("sistercity-kg: error: ") and "Traceback" not in err


def test_cli_directory_and_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _cli(["validate", str(tmp_path)], capsys)
    assert code == EXIT_ERROR and "is a folder, not a file" in err
    # an empty Turtle file is valid and adds nothing: only the ontology is validated
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(b"")
    assert main(["validate", str(empty)]) == 0
