"""Cooperation spreadsheets: agreements and activities as an international-cooperation office keeps them.

Two templates, each a CSV file (or a sheet of an XLSX workbook; ``pip install
sistercity-kg[xlsx]``). Headers are accepted in English or Indonesian (any case; spaces and
hyphens count as underscores) and may be mixed. ``sistercity-kg template OUT_DIR`` writes
both with an example row, plus a README describing every column. Rows are numbered as a
spreadsheet program shows them: the header is row 1.

**Agreements** (one row per agreement or partnership):

{agreements}

**Activities** (one row per cooperation activity):

{activities}

Lists (fields, topics, actors) are separated by ``;``. Controlled values (partnership type,
stage, field, activity type, status, partner type) are the concept's identifier
(``sister-city``) or its English or Indonesian name (``Sister City``, ``kota kembar``).
Dates: see :mod:`sistercity_kg.importers.dates` (ISO, ``24 Mei 2015``, ``24/05/2015``,
``Mei 2015``, ``2015``). Terms: ``P5Y``, ``5 tahun``, ``5 years``, ``5``.

How rows map to the model
-------------------------
- Actors are reused by name and country (any label language), jurisdictions by name and
  country or Wikidata ID, legal instruments by name, identifier or citation; new ones are
  minted deterministically, as the curated data names them: ``sckid:actor/<name>``,
  ``sckid:jurisdiction/<name>`` (``<name country>`` when that IRI is already another country's
  jurisdiction), ``sckid:legal-instrument/<citation without "No.", "Nomor", "Tahun">`` with the
  citation as ``dcterms:identifier``; so importing the same file twice adds nothing.
- A row of the agreements sheet makes (or adds to) a ``sck:Partnership`` between the two
  actors (``partnership_id`` if given, else ``sckid:partnership/<j1>--<j2>--<type>``), and an
  ``sck:Agreement`` (typed by its stage) that ``sck:establishes`` it when the row names an
  agreement title, stage or signing date.
- A row of the activities sheet makes a ``sck:CooperationActivity`` ``sck:partOf`` the
  partnership given by id, IRI or name; ``host``, ``provider``, ``beneficiary`` and
  ``participants`` become ``sck:Participation`` nodes with that role.
- Provenance: every node a row states is ``prov:wasDerivedFrom`` the row itself (a
  ``sck:Passage`` of the file, locator ``row N``, quote the row's cells joined by `` | `` and
  tagged ``und``, since a row mixes languages) and, when the row gives ``source`` + ``locator``
  + ``quote``, the passage of that source (reused when the graph already has a passage with
  that locator in that source; a different quote for the same locator is a row error). Sources
  are found by title, so rows citing the title of a document already in the graph (``BAB V
  Kesimpulan``) meet its passages; participations and places get the row's evidence too.
- Several rows may describe one partnership (same ``partnership_id``), e.g. one per passage.

What the templates do not express (write Turtle for these): interests, policies and missions,
persons and posts, assessments and recommendations, programmes an activity emulates,
``assistedBy``, ``promotesCulture``, ``purpose``, names other than English (and Indonesian for
partnerships and activities), comments, and a statement derived from more than one passage
(each row cites one). ``tests/importers/test_import_bandung_seoul.py`` checks that the
Bandung–Seoul facts typed into the templates import as the curated data for all the rest.
- A value that contradicts one the graph already holds for a single-valued property (another
  start date, another type) is a row error: compare sources with :mod:`~sistercity_kg.importers.reconcile`
  instead of overwriting.

Every problem in the file (unknown column, bad date, missing partner, a value outside a
scheme, an unknown partnership or actor, a conflict) is collected and raised at once as
:class:`~sistercity_kg.errors.ImportRowsError`; then nothing is added.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from ..errors import ImportRowsError, LoadError, RowError
from ..namespaces import mint, slugify
from ..resources import bundled_path
from ._common import (
    A,
    DCT,
    DERIVED,
    SCKC,
    SCKID,
    XSD,
    GraphIndex,
    ImportResult,
    Quads,
    _rows,
    add_row_passage,
    add_source,
    file_digest,
    local_slug,
    norm,
    pair_partnership,
    sck,
    source_document_iri,
)
from .dates import EXPECTED_DATE, parse_date, parse_duration

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = [
    "Column",
    "AGREEMENT_COLUMNS",
    "ACTIVITY_COLUMNS",
    "import_table",
    "read_sheets",
    "table_kind",
    "write_templates",
    "columns_markdown",
    "allowed_values_markdown",
    "citation_slug",
]


@dataclass(frozen=True)
class Column:
    """One template column: its English and Indonesian headers, whether it is required, and an example."""

    en: str
    id: str
    required: bool
    description: str
    example: str = ""


AGREEMENT_COLUMNS: tuple[Column, ...] = (
    Column("partnership_id", "id_kemitraan", False,
           "a short name you choose for the partnership (letters, digits, hyphens), used by activities.csv to refer "
           "to it; default: made from the two cities and the type", "bandung-seoul-sister-city"),
    Column("partner_1", "mitra_1", True, "name of the first partner: a government, not the city (English)", "Bandung City Government"),
    Column("partner_1_type", "jenis_mitra_1", False, "city, regency, province or metropolitan (kota, kabupaten, provinsi, metropolitan)", "city"),
    Column("partner_1_jurisdiction", "wilayah_mitra_1", True, "the city or region it governs (English name)", "Bandung"),
    Column("partner_1_country", "negara_mitra_1", True, "its country (English name)", "Indonesia"),
    Column("partner_1_wikidata", "wikidata_mitra_1", False, "Wikidata ID of that city or region, e.g. Q10389", "Q10389"),
    Column("partner_2", "mitra_2", True, "name of the second partner government (English)", "Seoul Metropolitan Government"),
    Column("partner_2_type", "jenis_mitra_2", False, "city, regency, province or metropolitan", "metropolitan"),
    Column("partner_2_jurisdiction", "wilayah_mitra_2", True, "the city or region it governs", "Seoul"),
    Column("partner_2_country", "negara_mitra_2", True, "its country", "South Korea"),
    Column("partner_2_wikidata", "wikidata_mitra_2", False, "Wikidata ID of that city or region, e.g. Q8684", "Q8684"),
    Column("partnership_type", "jenis_kemitraan", True, "sister-city, sister-province, friendship or twinning", "sister-city"),
    Column("partnership_name", "nama_kemitraan", False, "name of the partnership in English; default: made from the cities and type",
           "Bandung–Seoul Sister City cooperation"),
    Column("partnership_name_id", "nama_kemitraan_id", False, "name of the partnership in Indonesian",
           "Kerja sama Sister City Bandung–Seoul"),
    Column("agreement_title", "judul_perjanjian", False, "title of the agreement document, if the row is about one", ""),
    Column("stage", "tahap", False, "letter-of-intent, cooperation-plan, memorandum-of-understanding or implementation-arrangement", ""),
    Column("signing_date", "tanggal_penandatanganan", False, "when the agreement was signed (a day)", ""),
    Column("start_date", "tanggal_mulai", False, "when the partnership began", ""),
    Column("end_date", "tanggal_berakhir", False, "when it ended or ends", ""),
    Column("term", "jangka_waktu", False, "its term: P5Y, 5 tahun, 5 years", ""),
    Column("time_bound", "berjangka_waktu", False,
           "yes if the source calls the cooperation time-bound (berjangka waktu), even without giving a term; yes/no, ya/tidak", "yes"),
    Column("legal_basis", "dasar_hukum", False, "the law or regulation it is based on, as cited (kept as its identifier)", "Permendagri No. 1/1992"),
    Column("fields", "bidang", False, "fields of cooperation, separated by ;", "urban-governance; culture; knowledge-exchange"),
    Column("source", "sumber", False, "the document the row is taken from: its title as written on it", ""),
    Column("locator", "lokasi_kutipan", False, "where in the source (page, chapter, paragraph); needs source", ""),
    Column("quote", "kutipan", False, "the source's words, as written (needed the first time a locator is cited)", ""),
    Column("quote_language", "bahasa_kutipan", False,
           "language of the quote: id, en, ko (default: the language of the headers, so set it when they differ)", ""),
)

ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("activity_id", "id_kegiatan", False,
           "a short name you choose for the activity (letters, digits, hyphens); default: made from the title", ""),
    Column("partnership", "kemitraan", True, "the partnership: its partnership_id in agreements.csv, or its name", "bandung-seoul-sister-city"),
    Column("title", "judul", True, "name of the activity in English", "Little Bandung in Seoul"),
    Column("title_id", "judul_id", False, "name of the activity in Indonesian", "Little Bandung di Seoul"),
    Column("activity_type", "jenis_kegiatan", True, "what kind of activity: see the allowed values below, e.g. study-visit", "cultural-centre"),
    Column("field", "bidang", True, "its main field of cooperation, e.g. culture", "culture"),
    Column("topics", "topik", False, "further fields it is about, separated by ;", ""),
    Column("status", "status", True, "planned, intended, under-construction, ongoing, completed or suspended", "completed"),
    Column("start_date", "tanggal_mulai", False, "when it started", ""),
    Column("end_date", "tanggal_berakhir", False, "when it ended", ""),
    Column("location", "lokasi", False, "the city or region where it takes place (e.g. a partner's city)", "Seoul"),
    Column("places", "tempat", False, "named places in that city or region (river, venue), separated by ;", ""),
    Column("host", "tuan_rumah", False, "partner governments hosting it, separated by ;", ""),
    Column("provider", "penyedia", False, "partner governments providing or building it, separated by ;", "Bandung City Government"),
    Column("beneficiary", "penerima_manfaat", False, "partner governments benefiting from it, separated by ;", ""),
    Column("participants", "peserta", False, "other participating governments, separated by ;", ""),
    Column("quantity", "jumlah", False, "how many (a positive whole number)", "2"),
    Column("source", "sumber", False, "the document the row is taken from: its title as written on it", ""),
    Column("locator", "lokasi_kutipan", False, "where in the source; needs source", ""),
    Column("quote", "kutipan", False, "the source's words, as written (needed the first time a locator is cited)", ""),
    Column("quote_language", "bahasa_kutipan", False,
           "language of the quote: id, en, ko (default: the language of the headers, so set it when they differ)", ""),
)

_KINDS = {"agreements": AGREEMENT_COLUMNS, "activities": ACTIVITY_COLUMNS}

_ACTOR_TYPES = {
    "city": "CityGovernment", "kota": "CityGovernment", "city government": "CityGovernment", "pemerintah kota": "CityGovernment",
    "regency": "RegencyGovernment", "kabupaten": "RegencyGovernment", "regency government": "RegencyGovernment",
    "province": "ProvincialGovernment", "provinsi": "ProvincialGovernment", "provincial government": "ProvincialGovernment",
    "metropolitan": "MetropolitanGovernment", "metropolitan government": "MetropolitanGovernment",
    "sub-state actor": "SubStateActor", "other": "SubStateActor", "lainnya": "SubStateActor",
}

_STAGE_CLASSES = {
    "letter-of-intent": "LetterOfIntent",
    "cooperation-plan": "CooperationPlan",
    "memorandum-of-understanding": "MemorandumOfUnderstanding",
    "implementation-arrangement": "ImplementationArrangement",
}

_YES_NO = {"yes": "true", "ya": "true", "true": "true", "1": "true",
           "no": "false", "tidak": "false", "false": "false", "0": "false"}

#: Words a citation of a law may or may not spell out ("No.", "Nomor", "Tahun", "of").
_CITATION_FILLERS = {"no", "nomor", "nr", "number", "tahun", "year", "of"}


def citation_slug(citation: str) -> str:
    """The slug of a legal instrument's IRI: its citation without the filler words, so the
    ways of writing one regulation meet on one node.

    >>> citation_slug("Permendagri No. 1/1992"), citation_slug("Permendagri Nomor 1 Tahun 1992")
    ('permendagri-1-1992', 'permendagri-1-1992')
    """
    words = [w for w in slugify(citation).split("-") if w not in _CITATION_FILLERS]
    return "-".join(words) or slugify(citation)


_ROLES = (("host", "host"), ("provider", "provider"), ("beneficiary", "beneficiary"), ("participants", "participant"))


def columns_markdown(columns: Iterable[Column]) -> str:
    """The columns as a Markdown table (English header, Indonesian header, required, meaning)."""
    lines = ["| column | kolom | required | meaning |", "| --- | --- | --- | --- |"]
    lines += [f"| `{c.en}` | `{c.id}` | {'yes' if c.required else ''} | {c.description} |" for c in columns]
    return "\n".join(lines)


__doc__ = (__doc__ or "").replace("{agreements}", columns_markdown(AGREEMENT_COLUMNS)).replace(
    "{activities}", columns_markdown(ACTIVITY_COLUMNS)
)


def _header_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def _header_map(columns: tuple[Column, ...]) -> dict[str, tuple[str, str]]:
    """Header spelling -> (column key, language)."""
    mapping: dict[str, tuple[str, str]] = {}
    for c in columns:
        mapping[_header_key(c.en)] = (c.en, "en")
        mapping.setdefault(_header_key(c.id), (c.en, "id"))
    return mapping


def table_kind(header: Iterable[str]) -> str | None:
    """``"agreements"``, ``"activities"`` or None, judged from a header row.

    >>> table_kind(["mitra_1", "mitra_2", "jenis_kemitraan"])
    'agreements'
    >>> table_kind(["Partnership", "Title", "Status"])
    'activities'
    """
    keys = {_header_key(h) for h in header}
    if keys & {"partner_1", "mitra_1"}:
        return "agreements"
    if keys & {"partnership", "kemitraan"} and keys & {"title", "judul"}:
        return "activities"
    return None


# -- reading files ---------------------------------------------------------------


@dataclass
class Sheet:
    """The cells of one CSV file or XLSX sheet."""

    name: str
    header: list[str]
    rows: list[list[str]]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        text = value.isoformat()  # a date cell: keep the day, drop a midnight time
        return text[:10] if text.endswith("T00:00:00") or len(text) == 10 else text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheets(path: str | Path) -> list[Sheet]:
    """Read a CSV file (one sheet) or every sheet of an XLSX workbook.

    Raises
    ------
    MissingFileError
        If there is no such file.
    LoadError
        If an XLSX file is given and openpyxl is not installed, or the file cannot be read.
    """
    from ..inputs import check_input_file, check_text_file, csv_rows

    path = check_input_file(path, what="a CSV or XLSX spreadsheet")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            import openpyxl
        except ImportError:
            raise LoadError(
                f"{path}: reading .xlsx needs openpyxl; install it with `pip install \"sistercity-kg[xlsx]\"` "
                "or save the sheet as CSV (UTF-8)."
            ) from None
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise LoadError(f"{path}: not a readable .xlsx workbook ({exc}).") from None
        sheets = []
        for ws in book.worksheets:
            cells = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            cells = [row for row in cells if any(row)] if cells else []
            if cells:
                sheets.append(Sheet(ws.title, cells[0], cells[1:]))
        book.close()
        return sheets
    check_text_file(path, what="a CSV file (UTF-8)")  # names the encoding found and the line
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
            cells = [[c.strip() for c in row] for row in csv_rows(csv.reader(handle, delimiter=delimiter), path)]
    except UnicodeDecodeError:
        raise LoadError(f"{path}: not UTF-8 text; save the spreadsheet as CSV (UTF-8).") from None
    if not cells:
        return []
    return [Sheet(path.stem, cells[0], cells[1:])]


# -- concept schemes ------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _schemes() -> dict[str, dict[str, str]]:
    """scheme slug -> {normalised name or slug -> concept IRI}, from the bundled schemes."""
    graph = Graph()
    graph.parse(bundled_path("ontology/schemes.ttl"), format="turtle")
    schemes: dict[str, dict[str, str]] = {}
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        values = schemes.setdefault(str(scheme).rsplit("/", 1)[-1], {})
        slug = str(concept).rsplit("/", 1)[-1]
        values[slug] = str(concept)
        values[norm(slug.replace("-", " "))] = str(concept)
        for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
            for label in graph.objects(concept, prop):
                values.setdefault(norm(str(label)), str(concept))
    return schemes


def _scheme_expected(scheme: str) -> str:
    slugs = sorted({iri.rsplit("/", 1)[-1] for iri in _schemes().get(scheme, {}).values()})
    return f"a concept of the {scheme} scheme: {', '.join(slugs)} (or its English or Indonesian name)"


def allowed_values_markdown() -> str:
    """The values each controlled column accepts, as Markdown tables (identifier, English, Indonesian)."""
    graph = Graph()
    graph.parse(bundled_path("ontology/schemes.ttl"), format="turtle")
    parts = []
    for scheme, columns in (
        ("partnership-type", "partnership_type"), ("agreement-stage", "stage"), ("field", "fields, field, topics"),
        ("activity-type", "activity_type"), ("status", "status"),
    ):
        rows = []
        for concept in sorted(set(_schemes().get(scheme, {}).values())):
            names = {lang: "" for lang in ("en", "id")}
            for label in graph.objects(URIRef(concept), SKOS.prefLabel):
                if label.language in names:  # type: ignore[attr-defined]
                    names[label.language] = str(label)  # type: ignore[attr-defined,index]
            rows.append(f"| `{concept.rsplit('/', 1)[-1]}` | {names['en']} | {names['id']} |")
        parts.append(f"### {columns} ({scheme})\n\n| type this | or this (English) | atau ini (Indonesia) |\n"
                     "| --- | --- | --- |\n" + "\n".join(rows))
    types = "\n".join(f"| `{k}` | sck:{v} |" for k, v in _ACTOR_TYPES.items())
    parts.append(f"### partner_1_type, partner_2_type\n\n| type this | the partner is a |\n| --- | --- |\n{types}")
    return "\n\n".join(parts)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


# -- the importer ------------------------------------------------------------------------


class _Context:
    """State of one import: the quad buffer, the graph index and everything rows refer to."""

    def __init__(self, kg: KnowledgeGraph, path: Path, graph: str) -> None:
        self.kg = kg
        self.path = path
        self.quads = Quads(graph)
        self.index = GraphIndex(kg)
        self.errors: list[RowError] = []
        self.header_names: dict[str, str] = {}  # column key -> header as written in the sheet
        self.result = ImportResult(kind="table", path=path, graph=graph)
        self.source = source_document_iri(path, file_digest(path))
        add_source(self.quads, self.source, path, f"Imported spreadsheet {path.name}")
        # single-valued properties already in the graph: (node, property) -> lexical value
        self.single: dict[tuple[str, str], str] = {}
        props = ("partnershipType", "startDate", "endDate", "term", "describedAsTimeBound", "signingDate", "stage",
                 "status", "activityType", "quantity")
        values = " ".join(f"sck:{p}" for p in props)
        for s, p, o in _rows(kg, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"):
            self.single[(s.value, p.value)] = o.value  # type: ignore[attr-defined]
        for s, o in _rows(kg, "SELECT ?s ?o WHERE { ?s a sck:CooperationActivity ; sck:field ?o }"):
            self.single[(s.value, sck("field").value)] = o.value  # type: ignore[attr-defined]
        # partnerships: id / IRI / name -> node; partners of each
        self.partnerships: dict[str, ox.NamedNode] = {}
        self.partners: dict[str, set[str]] = {}
        for p, a in _rows(kg, "SELECT ?p ?a WHERE { ?p a sck:Partnership . OPTIONAL { ?p sck:partner ?a } }"):
            self._register_partnership(p)  # type: ignore[arg-type]
            if a is not None:
                self.partners.setdefault(p.value, set()).add(a.value)  # type: ignore[attr-defined]
        for p, label in _rows(kg, "SELECT ?p ?l WHERE { ?p a sck:Partnership ; rdfs:label ?l }"):
            self.partnerships.setdefault(norm(label.value), p)  # type: ignore[attr-defined]
        # legal instruments by name or identifier
        self.instruments: dict[str, ox.NamedNode] = {}
        for li, name in _rows(
            kg, "SELECT ?i ?n WHERE { ?i a sck:LegalInstrument . { ?i rdfs:label ?n } UNION { ?i dcterms:identifier ?n } }"
        ):
            self.instruments.setdefault(norm(name.value), li)  # type: ignore[attr-defined]
            self.instruments.setdefault(citation_slug(name.value), li)  # type: ignore[attr-defined]
        # sources by title, label or slug; passages by (source, locator)
        self.sources: dict[str, ox.NamedNode] = {}
        for src, name in _rows(
            kg, "SELECT ?s ?n WHERE { ?s a sck:SourceDocument . { ?s rdfs:label ?n } UNION { ?s dcterms:title ?n } }"
        ):
            self.sources.setdefault(norm(name.value), src)  # type: ignore[attr-defined]
            self.sources.setdefault(local_slug(src), src)  # type: ignore[arg-type]
        self.passages: dict[tuple[str, str], ox.NamedNode] = {}
        for psg, src, loc in _rows(kg, "SELECT ?p ?s ?l WHERE { ?p sck:inDocument ?s ; sck:locator ?l }"):
            self.passages.setdefault((src.value, norm(loc.value)), psg)  # type: ignore[attr-defined]
        self.quotes: dict[str, str] = {}
        for psg, text in _rows(kg, "SELECT ?p ?q WHERE { ?p sck:inDocument ?s ; sck:quote ?q }"):
            self.quotes.setdefault(psg.value, text.value)  # type: ignore[attr-defined]
        # actors by any label (for activities), then by label + country (index.actors)
        self.actor_names: dict[str, set[str]] = {}
        for a, label in _rows(
            kg,
            "SELECT ?a ?l WHERE { VALUES ?t { sck:SubStateActor sck:CityGovernment sck:RegencyGovernment "
            "sck:ProvincialGovernment sck:MetropolitanGovernment } ?a a ?t ; rdfs:label ?l }",
        ):
            self.actor_names.setdefault(norm(label.value), set()).add(a.value)  # type: ignore[attr-defined]
        self.jurisdiction_names: dict[str, set[str]] = {}
        for j, label in _rows(kg, "SELECT ?j ?l WHERE { ?j a sck:Jurisdiction ; rdfs:label ?l }"):
            self.jurisdiction_names.setdefault(norm(label.value), set()).add(j.value)  # type: ignore[attr-defined]
        self.governs: dict[str, set[str]] = {}
        for a, j in _rows(kg, "SELECT ?a ?j WHERE { { ?a sck:governs ?j } UNION { ?j sck:governedBy ?a } }"):
            self.governs.setdefault(a.value, set()).add(j.value)  # type: ignore[attr-defined]

    def _register_partnership(self, node: ox.NamedNode) -> None:
        self.partnerships.setdefault(node.value, node)
        self.partnerships.setdefault(local_slug(node), node)

    # -- helpers used by rows -----------------------------------------------------------

    def error(self, row: int, column: str | None, value: str | None, expected: str) -> None:
        """Record a row error; the column is named as the file's header names it."""
        shown = self.header_names.get(column, column) if column else column
        self.errors.append(RowError(self.path, row, shown, value, expected))

    def concept(self, row: int, column: str, value: str, scheme: str) -> ox.NamedNode | None:
        found = _schemes().get(scheme, {}).get(norm(value)) or _schemes().get(scheme, {}).get(slugify(value) if any(ch.isalnum() for ch in value) else "")
        if found is None:
            self.error(row, column, value, _scheme_expected(scheme))
            return None
        return ox.NamedNode(found)

    def date(self, row: int, column: str, value: str) -> ox.Literal | None:
        try:
            parsed = parse_date(value)
        except ValueError as exc:
            self.error(row, column, value, f"{EXPECTED_DATE} ({str(exc).rstrip('.')})")
            return None
        self.result.date_forms[(row, column)] = parsed.form
        return ox.Literal(parsed.lexical, datatype=ox.NamedNode(str(parsed.datatype)))

    def set_single(self, row: int, column: str, node: ox.NamedNode, prop: str, value: ox.NamedNode | ox.Literal) -> None:
        """Add a single-valued statement unless it contradicts one already there (then a row error)."""
        key = (node.value, sck(prop).value)
        current = self.single.get(key)
        if current is None:
            self.single[key] = value.value
            self.quads.add(node, sck(prop), value)
        elif current != value.value:
            self.error(row, column, value.value, f"{current} (the graph, or an earlier row, already gives {local_slug(node)} "
                       f"that sck:{prop}; to compare sources use `reconcile`)")

    def cited_passage(self, row: int, values: dict[str, str], lang: str) -> ox.NamedNode | None:
        source, locator, quote = values.get("source", ""), values.get("locator", ""), values.get("quote", "")
        if not (source or locator or quote):
            return None
        if not source:
            self.error(row, "source", None, "the source document, since locator or quote is given")
            return None
        language = values.get("quote_language", "")
        if language and not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", language):
            self.error(row, "quote_language", language, "a language code such as id, en or ko")
            return None
        if not locator:
            self.error(row, "locator", None, "where in the source the row is taken from, e.g. 'page 12'")
            return None
        src = self.sources.get(norm(source)) or self.sources.get(source.strip())
        if src is None:
            src = ox.NamedNode(str(mint("source", source)))
            self.sources[norm(source)] = src
            self.quads.add(src, A, sck("SourceDocument"))
            self.quads.add(src, ox.NamedNode(DCT + "title"), ox.Literal(source))
        passage = self.passages.get((src.value, norm(locator)))
        if passage is not None and quote:
            known = self.quotes.get(passage.value)
            if known is not None and norm(known) != norm(quote):
                self.error(row, "quote", quote, f"the words the source has at {locator!r}, as already recorded: {known!r} "
                           "(one locator, one quote; cite another locator for other words)")
                return None
        if passage is None:
            if not quote:
                self.error(row, "quote", None, "the quoted words of the source at that locator")
                return None
            passage = ox.NamedNode(f"{SCKID}passage/{local_slug(src)}--{slugify(locator)}")
            self.passages[(src.value, norm(locator))] = passage
            self.quads.add(passage, A, sck("Passage"))
            self.quads.add(passage, sck("inDocument"), src)
            self.quads.add(passage, sck("locator"), ox.Literal(locator))
            self.quads.add(passage, sck("quote"), ox.Literal(quote, language=values.get("quote_language") or lang))
            self.quotes[passage.value] = quote
        return passage


def _actor(
    ctx: _Context, row: int, prefix: str, values: dict[str, str], evidence: list[ox.NamedNode]
) -> tuple[ox.NamedNode, ox.NamedNode] | None:
    """Find or create the actor (and its jurisdiction) of ``partner_1`` or ``partner_2``."""
    name, juris, country_name = values.get(prefix, ""), values.get(f"{prefix}_jurisdiction", ""), values.get(f"{prefix}_country", "")
    missing = [c for c, v in ((prefix, name), (f"{prefix}_jurisdiction", juris), (f"{prefix}_country", country_name)) if not v]
    for column in missing:
        what = {prefix: "the partner's name (a government, e.g. Bandung City Government)",
                f"{prefix}_jurisdiction": "the city or region the partner governs",
                f"{prefix}_country": "the partner's country"}[column]
        ctx.error(row, column, None, what)
    kind = values.get(f"{prefix}_type", "")
    cls = _ACTOR_TYPES.get(norm(kind)) if kind else "SubStateActor"
    if cls is None:
        ctx.error(row, f"{prefix}_type", kind, "city, regency, province, metropolitan (kota, kabupaten, provinsi) or other")
    qid = values.get(f"{prefix}_wikidata", "").strip().upper() or None
    if qid is not None and not re.fullmatch(r"Q[1-9][0-9]*", qid):
        ctx.error(row, f"{prefix}_wikidata", values[f"{prefix}_wikidata"], "a Wikidata item ID such as Q10389 (Q and digits)")
        return None
    if missing or cls is None:
        return None
    q, index = ctx.quads, ctx.index
    country = index.country(q, country_name)
    jurisdiction = index.jurisdiction(q, juris, country, country_name, evidence[0], qid=qid, short=True)
    ctx.jurisdiction_names.setdefault(norm(juris), set()).add(jurisdiction.value)
    actor = index.actors.get((norm(name), country.value))
    if actor is None:
        actor = ox.NamedNode(str(mint("actor", name)))
        if index.actor_country.get(actor.value, country.value) != country.value:
            actor = ox.NamedNode(str(mint("actor", f"{name} {country_name}")))
        index.actors[(norm(name), country.value)] = actor
    if actor.value not in index.existing:
        index.existing.add(actor.value)
        q.add(actor, A, sck(cls))
        q.add(actor, sck("country"), country)
        index.actor_country[actor.value] = country.value
    index.label(q, actor, name, "en")
    ctx.actor_names.setdefault(norm(name), set()).add(actor.value)
    if jurisdiction.value not in ctx.governs.get(actor.value, set()):
        q.add(actor, sck("governs"), jurisdiction)
        q.add(jurisdiction, sck("governedBy"), actor)
        ctx.governs.setdefault(actor.value, set()).add(jurisdiction.value)
        index.government.setdefault(jurisdiction.value, actor)
    for e in evidence:
        q.add(actor, DERIVED, e)
        q.add(jurisdiction, DERIVED, e)
    return actor, jurisdiction


def _agreement_row(ctx: _Context, row: int, values: dict[str, str], evidence: list[ox.NamedNode]) -> None:
    q = ctx.quads
    first = _actor(ctx, row, "partner_1", values, evidence)
    second = _actor(ctx, row, "partner_2", values, evidence)
    ptype_text = values.get("partnership_type", "")
    ptype = ctx.concept(row, "partnership_type", ptype_text, "partnership-type") if ptype_text else None
    if not ptype_text:
        ctx.error(row, "partnership_type", None, _scheme_expected("partnership-type"))
    stage = ctx.concept(row, "stage", values["stage"], "agreement-stage") if values.get("stage") else None
    dates = {c: ctx.date(row, c, values[c]) for c in ("signing_date", "start_date", "end_date") if values.get(c)}
    signing = dates.get("signing_date")
    if signing is not None and signing.datatype.value != XSD + "date":
        ctx.error(row, "signing_date", values["signing_date"], "a full day (signing happens on a day), e.g. 24 Mei 2015")
    term = None
    if values.get("term"):
        try:
            term = ox.Literal(str(parse_duration(values["term"])), datatype=ox.NamedNode(XSD + "duration"))
        except ValueError:
            ctx.error(row, "term", values["term"], "a term such as P5Y, 5 tahun, 5 years or 18 bulan")
    fields = [ctx.concept(row, "fields", f, "field") for f in _split(values.get("fields", ""))]
    time_bound = None
    if values.get("time_bound"):
        time_bound = _YES_NO.get(norm(values["time_bound"]))
        if time_bound is None:
            ctx.error(row, "time_bound", values["time_bound"], "yes or no (ya or tidak)")
            return
    if first is None or second is None or ptype is None or None in fields or any(d is None for d in dates.values()):
        return
    if values.get("stage") and stage is None or values.get("term") and term is None:
        return
    (actor1, juris1), (actor2, juris2) = first, second
    if actor1 == actor2:
        ctx.error(row, "partner_2", values["partner_2"], "a partner other than partner_1")
        return
    if values.get("partnership_id"):
        pid = values["partnership_id"]
        node = ctx.partnerships.get(pid) or ox.NamedNode(
            pid if pid.startswith(("http://", "https://")) else f"{SCKID}partnership/{slugify(pid)}"
        )
    else:
        node = pair_partnership(juris1, juris2, local_slug(ptype))
    ctx._register_partnership(node)
    q.add(node, A, sck("Partnership"))
    if values.get("partnership_name"):
        ctx.index.label(q, node, values["partnership_name"], "en")
        ctx.partnerships.setdefault(norm(values["partnership_name"]), node)
    elif (node.value, "en") not in ctx.index.labels:
        label = f"{values['partner_1_jurisdiction']}–{values['partner_2_jurisdiction']} {local_slug(ptype).replace('-', ' ')}"
        ctx.index.label(q, node, label, "en")
        ctx.partnerships.setdefault(norm(label), node)
    if values.get("partnership_name_id"):
        ctx.index.label(q, node, values["partnership_name_id"], "id")
        ctx.partnerships.setdefault(norm(values["partnership_name_id"]), node)
    q.add(node, sck("partner"), actor1)
    q.add(node, sck("partner"), actor2)
    ctx.partners.setdefault(node.value, set()).update({actor1.value, actor2.value})
    ctx.set_single(row, "partnership_type", node, "partnershipType", ptype)
    for column, prop in (("start_date", "startDate"), ("end_date", "endDate")):
        if column in dates:
            ctx.set_single(row, column, node, prop, dates[column])  # type: ignore[arg-type]
    if term is not None:
        ctx.set_single(row, "term", node, "term", term)
    if time_bound is not None:
        ctx.set_single(row, "time_bound", node, "describedAsTimeBound",
                       ox.Literal(time_bound, datatype=ox.NamedNode(XSD + "boolean")))
    for f in fields:
        q.add(node, sck("field"), f)  # type: ignore[arg-type]
    if values.get("legal_basis"):
        name = values["legal_basis"]
        instrument = ctx.instruments.get(norm(name)) or ctx.instruments.get(citation_slug(name))
        if instrument is None:
            instrument = ox.NamedNode(f"{SCKID}legal-instrument/{citation_slug(name)}")
            ctx.instruments[norm(name)] = ctx.instruments[citation_slug(name)] = instrument
            q.add(instrument, A, sck("LegalInstrument"))
            q.add(instrument, ox.NamedNode(DCT + "identifier"), ox.Literal(name))
            ctx.index.label(q, instrument, name, "en")
        q.add(node, sck("legalBasis"), instrument)
        for e in evidence:
            q.add(instrument, DERIVED, e)
    for e in evidence:
        q.add(node, DERIVED, e)
    if values.get("agreement_title") or stage is not None or signing is not None:
        title = values.get("agreement_title") or (
            f"{local_slug(stage).replace('-', ' ').capitalize() if stage else 'Agreement'}: {values['partner_1']} – {values['partner_2']}"
        )
        agreement = ox.NamedNode(str(mint("agreement", title)))
        q.add(agreement, A, sck(_STAGE_CLASSES.get(local_slug(stage), "Agreement") if stage else "Agreement"))
        ctx.index.label(q, agreement, title, "en")
        q.add(agreement, sck("party"), actor1)
        q.add(agreement, sck("party"), actor2)
        q.add(agreement, sck("establishes"), node)
        if stage is not None:
            ctx.set_single(row, "stage", agreement, "stage", stage)
        if signing is not None:
            ctx.set_single(row, "signing_date", agreement, "signingDate", signing)
        for e in evidence:
            q.add(agreement, DERIVED, e)


def _find_actor(ctx: _Context, row: int, column: str, name: str, partners: set[str]) -> ox.NamedNode | None:
    candidates = ctx.actor_names.get(norm(name), set())
    chosen = sorted(candidates & partners) or sorted(candidates)
    if len(chosen) == 1 or (chosen and candidates & partners):
        return ox.NamedNode(chosen[0])
    known = sorted(ctx.index.labels.get((a, "en"), local_slug(ox.NamedNode(a))) for a in partners)
    ctx.error(row, column, name, "the name of a partner of the partnership" + (f" ({'; '.join(known)})" if known else "")
              + " or of another actor in the graph" + (" (the name is ambiguous)" if len(chosen) > 1 else ""))
    return None


def _activity_row(ctx: _Context, row: int, values: dict[str, str], evidence: list[ox.NamedNode]) -> None:
    q = ctx.quads
    ref = values.get("partnership", "")
    partnership = ctx.partnerships.get(ref) or ctx.partnerships.get(norm(ref)) or (
        ctx.partnerships.get(slugify(ref)) if any(ch.isalnum() for ch in ref) else None
    )
    if partnership is None:
        ctx.error(row, "partnership", ref or None,
                  "the identifier, IRI or name of a partnership in the graph or in an agreements sheet imported with it")
    title = values.get("title", "")
    if not title:
        ctx.error(row, "title", None, "the name of the activity in English")
    concepts = {}
    for column, scheme in (("activity_type", "activity-type"), ("field", "field"), ("status", "status")):
        if values.get(column):
            concepts[column] = ctx.concept(row, column, values[column], scheme)
        else:
            ctx.error(row, column, None, _scheme_expected(scheme))
            concepts[column] = None
    topics = [ctx.concept(row, "topics", t, "field") for t in _split(values.get("topics", ""))]
    dates = {c: ctx.date(row, c, values[c]) for c in ("start_date", "end_date") if values.get(c)}
    quantity = None
    if values.get("quantity"):
        if values["quantity"].isdigit() and int(values["quantity"]) > 0:
            quantity = ox.Literal(str(int(values["quantity"])), datatype=ox.NamedNode(XSD + "positiveInteger"))
        else:
            ctx.error(row, "quantity", values["quantity"], "a positive whole number such as 2")
    partners = ctx.partners.get(partnership.value, set()) if partnership is not None else set()
    location = None
    if values.get("location"):
        candidates = ctx.jurisdiction_names.get(norm(values["location"]), set())
        own = {j for a in partners for j in ctx.governs.get(a, set())}
        chosen = sorted(candidates & own) or sorted(candidates)
        if len(chosen) == 1 or (chosen and candidates & own):
            location = ox.NamedNode(chosen[0])
        else:
            ctx.error(row, "location", values["location"], "the name of a jurisdiction in the graph (e.g. a partner's city)")
    places = _split(values.get("places", ""))
    if places and not values.get("location"):
        ctx.error(row, "places", values["places"], "a location too: the jurisdiction the places are in")
    roles = []
    for column, role in _ROLES:
        for name in _split(values.get(column, "")):
            roles.append((column, role, _find_actor(ctx, row, column, name, partners)))
    if (partnership is None or not title or None in concepts.values() or None in topics
            or any(d is None for d in dates.values()) or (values.get("quantity") and quantity is None)
            or (values.get("location") and location is None) or (places and location is None)
            or any(actor is None for _, _, actor in roles)):
        return
    slug = slugify(values.get("activity_id") or title)
    node = ox.NamedNode(f"{SCKID}activity/{slug}")
    q.add(node, A, sck("CooperationActivity"))
    ctx.index.label(q, node, title, "en")
    if values.get("title_id"):
        ctx.index.label(q, node, values["title_id"], "id")
    q.add(node, sck("partOf"), partnership)  # type: ignore[arg-type]
    ctx.set_single(row, "activity_type", node, "activityType", concepts["activity_type"])  # type: ignore[arg-type]
    ctx.set_single(row, "field", node, "field", concepts["field"])  # type: ignore[arg-type]
    ctx.set_single(row, "status", node, "status", concepts["status"])  # type: ignore[arg-type]
    for t in topics:
        q.add(node, sck("topic"), t)  # type: ignore[arg-type]
    for column, prop in (("start_date", "startDate"), ("end_date", "endDate")):
        if column in dates:
            ctx.set_single(row, column, node, prop, dates[column])  # type: ignore[arg-type]
    if quantity is not None:
        ctx.set_single(row, "quantity", node, "quantity", quantity)
    if location is not None:
        if places:
            for place_name in places:
                place = ox.NamedNode(str(mint("place", place_name)))
                q.add(place, A, sck("Place"))
                ctx.index.label(q, place, place_name, "en")
                q.add(place, sck("locatedIn"), location)
                q.add(node, sck("locatedIn"), place)
                for e in evidence:
                    q.add(place, DERIVED, e)
        else:
            q.add(node, sck("locatedIn"), location)
    for _, role, actor in roles:
        participation = ox.NamedNode(f"{SCKID}participation/{slug}--{local_slug(actor)}")  # type: ignore[arg-type]
        q.add(participation, A, sck("Participation"))
        q.add(participation, sck("participant"), actor)  # type: ignore[arg-type]
        q.add(participation, sck("role"), ox.NamedNode(f"{SCKC}participant-role/{role}"))
        q.add(node, sck("hasParticipation"), participation)
        for e in evidence:
            q.add(participation, DERIVED, e)
    for e in evidence:
        q.add(node, DERIVED, e)


def import_table(
    kg: KnowledgeGraph,
    path: str | Path,
    *,
    graph: str | None = None,
    kind: str | None = None,
) -> ImportResult:
    """Import an agreements or activities spreadsheet (CSV or XLSX), all rows or none.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to add to; actors, jurisdictions, partnerships and sources it holds are reused.
    path : str or Path
        A ``.csv`` file, or an ``.xlsx`` workbook whose sheets are agreements and/or activities
        (agreements sheets are read first, so activities may refer to their partnerships).
    graph : str, optional
        The named graph for the statements; ``sckg:<file stem>`` by default.
    kind : str, optional
        ``"agreements"`` or ``"activities"``; told from the header by default.

    Returns
    -------
    ImportResult
        Rows read, statements added and the form each date was read in.

    Raises
    ------
    ImportRowsError
        Listing every row error (file, row, column, what was expected); nothing is added.
    LoadError
        If the file cannot be read or its kind cannot be told from its header.
    """
    from ..graph import graph_name_for

    path = Path(path)
    sheets = read_sheets(path)
    target = str(graph or graph_name_for(path))
    ctx = _Context(kg, path, target)
    plans: list[tuple[str, Sheet]] = []
    for sheet in sheets:
        sheet_kind = kind or table_kind(sheet.header)
        if sheet_kind not in _KINDS:
            raise LoadError(
                f"{path}: cannot tell what the sheet {sheet.name!r} holds from its header; expected the agreements "
                "template (partner_1, partner_2, ...) or the activities template (partnership, title, ...), "
                "see `sistercity-kg template`."
            )
        plans.append((sheet_kind, sheet))
    if not plans:
        raise LoadError(f"{path}: the file is empty; expected a header row and data rows.")
    plans.sort(key=lambda p: p[0] != "agreements")
    ctx.result.kind = "+".join(sorted({k for k, _ in plans}))
    for sheet_kind, sheet in plans:
        mapping = _header_map(_KINDS[sheet_kind])
        keys: list[str | None] = []
        langs = []
        for header in sheet.header:
            found = mapping.get(_header_key(header))
            if found is None and header.strip():
                ctx.error(1, header, None, f"one of the {sheet_kind} columns: " + ", ".join(c.en for c in _KINDS[sheet_kind])
                          + " (or their Indonesian names)")
            keys.append(found[0] if found else None)
            if found:
                langs.append(found[1])
        lang = "id" if langs.count("id") > langs.count("en") else "en"
        ctx.header_names = {k: h.strip() for k, h in zip(keys, sheet.header) if k}
        handler = _agreement_row if sheet_kind == "agreements" else _activity_row
        for number, cells in enumerate(sheet.rows, start=2):
            if not any(cells):
                continue
            ctx.result.rows += 1
            values = {k: v for k, v in zip(keys, cells) if k and v}
            text = " | ".join(f"{h}: {v}" for h, v in zip(sheet.header, cells) if v)
            # in a workbook the locator names the sheet too ("agreements, row 3")
            sheet_name = sheet.name if len(plans) > 1 else None
            row_passage = add_row_passage(ctx.quads, ctx.source, number, text, "und", sheet=sheet_name)
            evidence = [row_passage]
            cited = ctx.cited_passage(number, values, lang)
            if cited is not None:
                evidence.append(cited)
            handler(ctx, number, values, evidence)
    if ctx.errors:
        raise ImportRowsError(path, ctx.errors)
    ctx.result.added = ctx.quads.commit(kg)
    return ctx.result


# -- templates ---------------------------------------------------------------------------


def write_templates(out_dir: str | Path, *, lang: str = "en", xlsx: bool = False) -> list[Path]:
    """Write ``agreements.csv``, ``activities.csv`` and ``README.md`` (the columns) into ``out_dir``.

    Each CSV has the header (English, or Indonesian with ``lang="id"``) and one example row:
    the Bandung–Seoul Sister City partnership as the bundled data records it (no invented dates).
    With ``xlsx=True`` also ``cooperation.xlsx`` with both sheets (needs openpyxl).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    LoadError
        If ``xlsx=True`` and openpyxl is not installed.
    """
    import io

    from ..graph import atomic_write_bytes  # every file is written whole or not at all

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, columns in _KINDS.items():
        path = out / f"{kind}.csv"
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow([c.id if lang == "id" else c.en for c in columns])
        writer.writerow([c.example for c in columns])
        atomic_write_bytes(path, buffer.getvalue().encode("utf-8"))
        written.append(path)
    readme = out / "README.md"
    readme_text = (
        "# sistercity-kg spreadsheet templates\n\n"
        "Fill one row per agreement or partnership (agreements.csv) and one row per activity\n"
        "(activities.csv), then run `sistercity-kg import agreements.csv activities.csv`\n"
        "(agreements first: activities name their partnership by its `partnership_id`).\n\n"
        "- The example row is the Bandung–Seoul Sister City partnership as the bundled data records it;\n"
        "  replace it with your own rows. Leave a cell empty when your source does not say it.\n"
        "- Headers may be English or Indonesian; lists are separated by `;`.\n"
        "- Dates may be 2015-05-24, 24 Mei 2015, 24/05/2015 (day first), Mei 2015 or 2015.\n"
        "- Partners are governments (Bandung City Government), not cities: the city goes in\n"
        "  `partner_1_jurisdiction`. Activities name their providers, participants ... by these names.\n"
        "- Several rows may describe one partnership (same `partnership_id`), e.g. one row per passage\n"
        "  of a source; each row's `source` + `locator` + `quote` becomes the evidence of what it states.\n"
        "- Errors are listed all at once, with row and column; then nothing is imported.\n\n"
        f"## agreements.csv\n\n{columns_markdown(AGREEMENT_COLUMNS)}\n\n"
        f"## activities.csv\n\n{columns_markdown(ACTIVITY_COLUMNS)}\n\n"
        f"## Allowed values\n\n{allowed_values_markdown()}\n"
    )
    atomic_write_bytes(readme, readme_text.encode("utf-8"))
    written.append(readme)
    if xlsx:
        try:
            import openpyxl
        except ImportError:
            raise LoadError("Writing .xlsx needs openpyxl; install it with `pip install \"sistercity-kg[xlsx]\"`.") from None
        book = openpyxl.Workbook()
        book.remove(book.active)
        for kind, columns in _KINDS.items():
            ws = book.create_sheet(kind)
            ws.append([c.id if lang == "id" else c.en for c in columns])
            ws.append([c.example for c in columns])
        path = out / "cooperation.xlsx"
        payload = io.BytesIO()
        book.save(payload)
        atomic_write_bytes(path, payload.getvalue())
        written.append(path)
    return written

