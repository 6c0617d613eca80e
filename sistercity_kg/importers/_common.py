"""What the importers share: a quad buffer, an index of what the graph already holds,
deterministic IRIs for jurisdictions, actors and partnerships, and row provenance.

Identity rules (the same for every importer, so sources meet on the same nodes):

- a **country** is found by its label (any language, case-insensitive) or its Wikidata ID,
  else minted ``sckid:country/<slug of the name>``;
- a **jurisdiction** is found by label + country (or Wikidata ID), else minted
  ``sckid:jurisdiction/<slug of "name country">`` -- the country is part of the slug, so
  Cleveland (United States) and Cleveland (United Kingdom) stay two nodes; spreadsheets
  (hand-kept, like the curated data) mint ``sckid:jurisdiction/<slug of the name>`` and add
  the country only when that IRI is already another country's jurisdiction;
- the **actor** of a jurisdiction is its existing government (``sck:governs`` /
  ``sck:governedBy``), else a new ``sck:SubStateActor`` ``sckid:actor/government-of-<slug>``
  labelled "Government of <name> (<country>)": the sources (lists of twin towns, Wikidata)
  say which *places* are twinned, while the model makes partnerships between *actors*;
  the generic government keeps the model and says no more than the source (not whether it
  is a city, regency or province government);
- a **partnership** between two jurisdictions is ``sckid:partnership/<a>--<b>--<kind>``
  with the two jurisdiction slugs sorted, so the pair is undirected;
- a **source row** is the passage ``sckid:passage/<source slug>--row-<n>`` of the source
  document ``sckid:source/<slug of the file name>-<first 8 hex digits of its SHA-256>``: the
  same file always gives the same IRIs, an edited file is a different document.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox

from ..namespaces import PREFIXES, SCKG, mint, slugify

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["ImportResult", "Quads", "GraphIndex", "norm", "source_document_iri"]

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SCK = PREFIXES["sck"]
SCKC = PREFIXES["sckc"]
SCKID = PREFIXES["sckid"]
PROV = PREFIXES["prov"]
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dcterms"]
XSD = PREFIXES["xsd"]
GEO = PREFIXES["geo"]
GSP = PREFIXES["geosparql"]
WD = PREFIXES["wd"]

A = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")
DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
COUNTRY = ox.NamedNode(SCK + "country")
EXACT = ox.NamedNode(SKOS + "exactMatch")

#: Classes whose instances are sub-state actors (the graph may lack the ontology's subclass axioms).
ACTOR_CLASSES = ("SubStateActor", "CityGovernment", "RegencyGovernment", "ProvincialGovernment", "MetropolitanGovernment")


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def sck(local: str) -> ox.NamedNode:
    return ox.NamedNode(SCK + local)


def norm(text: str) -> str:
    """Normalise a name for matching: NFKC, case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def local_slug(node: ox.NamedNode) -> str:
    """The last path segment of an instance IRI (``.../jurisdiction/bandung`` -> ``bandung``)."""
    return node.value.rstrip("/").rsplit("/", 1)[-1]


def source_document_iri(path: Path, digest: str) -> ox.NamedNode:
    return ox.NamedNode(str(mint("source", f"{path.name} {digest[:8]}")))


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class ImportResult:
    """What an import added.

    Attributes
    ----------
    kind : str
        ``"agreements"``, ``"activities"``, ``"twin-list"`` or ``"wikidata"``.
    path : Path
        The imported file.
    graph : str
        The named graph the statements went into.
    rows : int
        Rows (or results) read.
    added : int
        Quads that were new to the store (0 when the same file is imported again).
    skipped : list of str
        Rows left out, each with its reason (only importers of third-party lists skip rows;
        the spreadsheet importer refuses the whole file instead).
    date_forms : dict
        For each date read, ``(row, column) -> form`` (see :mod:`sistercity_kg.importers.dates`).
    """

    kind: str
    path: Path
    graph: str
    rows: int = 0
    added: int = 0
    skipped: list[str] = field(default_factory=list)
    date_forms: dict[tuple[int, str], str] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: what was read and added."""
        text = f"{self.path.name}: {self.rows} {self.kind} rows read, {self.added} statements added to <{self.graph}>"
        if self.skipped:
            text += f", {len(self.skipped)} rows skipped"
        return text + "."


class Quads:
    """A de-duplicating buffer of quads for one named graph, added to the store in one go."""

    def __init__(self, graph: str) -> None:
        self.graph = ox.NamedNode(str(graph))
        self._triples: dict[tuple[object, object, object], None] = {}

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self._triples[(s, p, o)] = None

    def __len__(self) -> int:
        return len(self._triples)

    def triples(self) -> Iterable[tuple[object, object, object]]:
        return self._triples.keys()

    def commit(self, kg: KnowledgeGraph) -> int:
        """Add every quad at once, all or none; returns how many were new.

        The quads go in as one N-Triples document through the store's ``load``: on an embedded
        store that is one Oxigraph transaction (about twice as fast as building
        ``pyoxigraph.Quad`` objects); on a SPARQL server it is one ``INSERT DATA``, or for a large
        import batches into a temporary graph added to the target by one final update, so an
        import cut short leaves the target graph as it was. Every row has been read and checked
        before this is called.
        """
        store = kg.store
        before = store.count()
        if self._triples:
            text = "\n".join(f"{s} {p} {o} ." for s, p, o in self._triples)
            store.load(data=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, graph=self.graph)
        return store.count() - before


def _rows(kg: KnowledgeGraph, query: str) -> list[tuple[object, ...]]:
    """The rows of a SELECT over the union of the graphs, as pyoxigraph terms (``None`` when unbound)."""
    prefixes = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items())
    oxigraph = getattr(kg.store, "oxigraph", None)
    if oxigraph is not None:  # embedded: straight from Oxigraph, no conversion
        answer = oxigraph.query(prefixes + query, use_default_graph_as_union=True)
        names = [v.value for v in answer.variables]  # type: ignore[union-attr]
        return [tuple(solution[n] for n in names) for solution in answer]  # type: ignore[union-attr]
    from ..terms import to_oxigraph

    result = kg.store.query(prefixes + query)
    return [
        tuple(to_oxigraph(row[n]) if n in row else None for n in result.variables) for row in result.rows
    ]


class GraphIndex:
    """What the graph already holds that imports reuse: countries, jurisdictions, actors, labels.

    Nodes created during an import are registered here too, so later rows find them.
    """

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.countries: dict[str, ox.NamedNode] = {}
        self.jurisdictions: dict[tuple[str, str], ox.NamedNode] = {}
        self.jurisdiction_country: dict[str, ox.NamedNode] = {}
        self.actors: dict[tuple[str, str], ox.NamedNode] = {}
        self.actor_country: dict[str, str] = {}
        self.government: dict[str, ox.NamedNode] = {}
        self.by_wikidata: dict[str, ox.NamedNode] = {}
        self.labels: dict[tuple[str, str], str] = {}
        self.existing: set[str] = set()
        for c, label in _rows(kg, "SELECT ?c ?l WHERE { ?c a sck:Country ; rdfs:label ?l }"):
            self.countries.setdefault(norm(label.value), c)  # type: ignore[attr-defined]
        for j, label, c in _rows(
            kg, "SELECT ?j ?l ?c WHERE { ?j a sck:Jurisdiction ; rdfs:label ?l ; sck:country ?c } ORDER BY ?j"
        ):
            self.jurisdictions.setdefault((norm(label.value), c.value), j)  # type: ignore[attr-defined]
            self.jurisdiction_country.setdefault(j.value, c)  # type: ignore[attr-defined, arg-type]
        values = " ".join(f"sck:{c}" for c in ACTOR_CLASSES)
        for a, label, c in _rows(
            kg,
            f"SELECT ?a ?l ?c WHERE {{ VALUES ?t {{ {values} }} ?a a ?t ; rdfs:label ?l ; sck:country ?c }} ORDER BY ?a",
        ):
            self.actors.setdefault((norm(label.value), c.value), a)  # type: ignore[attr-defined]
            self.actor_country[a.value] = c.value  # type: ignore[attr-defined]
        for a, j in _rows(
            kg, "SELECT ?a ?j WHERE { { ?a sck:governs ?j } UNION { ?j sck:governedBy ?a } } ORDER BY ?a"
        ):
            self.government.setdefault(j.value, a)  # type: ignore[attr-defined]
        for s, w in _rows(kg, "SELECT ?s ?w WHERE { ?s skos:exactMatch ?w FILTER STRSTARTS(STR(?w), STR(wd:)) }"):
            self.by_wikidata.setdefault(w.value.rsplit("/", 1)[-1], s)  # type: ignore[attr-defined]
        for s, label in _rows(kg, "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER (isIRI(?s)) }"):
            self.labels.setdefault((s.value, label.language or ""), label.value)  # type: ignore[attr-defined]
        for (s,) in _rows(kg, "SELECT DISTINCT ?s WHERE { ?s a ?t FILTER (isIRI(?s)) }"):
            self.existing.add(s.value)  # type: ignore[attr-defined]

    # -- labels ------------------------------------------------------------------

    def label(self, quads: Quads, node: ox.NamedNode, text: str, lang: str) -> None:
        """Add ``rdfs:label text@lang`` unless the node has a label in that language already;
        then a different text becomes a ``skos:altLabel`` (the shapes allow one label per language)."""
        current = self.labels.get((node.value, lang))
        literal = ox.Literal(text, language=lang)
        if current is None:
            self.labels[(node.value, lang)] = text
            quads.add(node, LABEL, literal)
        elif current != text:
            quads.add(node, ox.NamedNode(SKOS + "altLabel"), literal)

    # -- countries, jurisdictions, actors ----------------------------------------

    def country(self, quads: Quads, name: str, passage: ox.NamedNode | None = None, *, qid: str | None = None) -> ox.NamedNode:
        """The country named ``name`` (or with Wikidata ID ``qid``), created if new."""
        node = (self.by_wikidata.get(qid) if qid else None) or self.countries.get(norm(name))
        if node is None:
            node = ox.NamedNode(str(mint("country", name)))
            self.countries[norm(name)] = node
        if node.value not in self.existing:
            self.existing.add(node.value)
            quads.add(node, A, sck("Country"))
            self.label(quads, node, name, "en")
        if qid:
            quads.add(node, EXACT, ox.NamedNode(WD + qid))
            self.by_wikidata.setdefault(qid, node)
        return node

    def jurisdiction(
        self,
        quads: Quads,
        name: str,
        country: ox.NamedNode,
        country_name: str,
        passage: ox.NamedNode,
        *,
        qid: str | None = None,
        short: bool = False,
    ) -> ox.NamedNode:
        """The jurisdiction named ``name`` in ``country``, created if new, derived from ``passage``.

        A new node is ``sckid:jurisdiction/<name country>``; with ``short=True`` (hand-kept
        spreadsheets, like the curated data) ``sckid:jurisdiction/<name>`` unless that IRI
        already names a jurisdiction in another country.
        """
        key = (norm(name), country.value)
        node = (self.by_wikidata.get(qid) if qid else None) or self.jurisdictions.get(key)
        if node is None and short:
            node = ox.NamedNode(str(mint("jurisdiction", name)))
            if self.jurisdiction_country.get(node.value, country) != country:
                node = None
            else:
                self.jurisdictions[key] = node
        if node is None:
            node = ox.NamedNode(str(mint("jurisdiction", f"{name} {country_name}")))
            self.jurisdictions[key] = node
        if node.value not in self.existing:
            self.existing.add(node.value)
            quads.add(node, A, sck("Jurisdiction"))
            self.label(quads, node, name, "en")
            quads.add(node, COUNTRY, country)
            self.jurisdiction_country[node.value] = country
        if qid:
            quads.add(node, EXACT, ox.NamedNode(WD + qid))
            self.by_wikidata.setdefault(qid, node)
        quads.add(node, DERIVED, passage)
        return node

    def government_of(
        self, quads: Quads, jurisdiction: ox.NamedNode, name: str, country: ox.NamedNode, country_name: str,
        passage: ox.NamedNode,
    ) -> ox.NamedNode:
        """The actor governing ``jurisdiction``: the existing one, or a generic government."""
        actor = self.government.get(jurisdiction.value)
        if actor is None:
            actor = ox.NamedNode(f"{SCKID}actor/government-of-{local_slug(jurisdiction)}")
            self.government[jurisdiction.value] = actor
        if actor.value not in self.existing:
            self.existing.add(actor.value)
            quads.add(actor, A, sck("SubStateActor"))
            self.label(quads, actor, f"Government of {name} ({country_name})", "en")
            quads.add(actor, COUNTRY, country)
            quads.add(actor, sck("governs"), jurisdiction)
            quads.add(jurisdiction, sck("governedBy"), actor)
            self.actor_country[actor.value] = country.value
        quads.add(actor, DERIVED, passage)
        return actor


def pair_partnership(a: ox.NamedNode, b: ox.NamedNode, kind: str) -> ox.NamedNode:
    """The undirected partnership IRI ``sckid:partnership/<a>--<b>--<kind>`` (slugs sorted)."""
    first, second = sorted((local_slug(a), local_slug(b)))
    return ox.NamedNode(f"{SCKID}partnership/{first}--{second}--{slugify(kind)}")


def add_source(quads: Quads, node: ox.NamedNode, path: Path, label: str) -> None:
    """Describe the imported file as a ``sck:SourceDocument``."""
    quads.add(node, A, sck("SourceDocument"))
    quads.add(node, LABEL, ox.Literal(label, language="en"))
    quads.add(node, ox.NamedNode(DCT + "title"), ox.Literal(path.name))


def add_row_passage(
    quads: Quads,
    source: ox.NamedNode,
    row: int,
    text: str,
    lang: str,
    *,
    sheet: str | None = None,
    locator: str | None = None,
) -> ox.NamedNode:
    """The passage for one row of a file: locator ``row N`` (``<sheet>, row N``, or ``locator``
    as given), quote = the row's text."""
    if locator is None:
        locator = f"{sheet}, row {row}" if sheet else f"row {row}"
    node = ox.NamedNode(f"{SCKID}passage/{local_slug(source)}--{slugify(locator).replace('-row-', '--row-')}")
    quads.add(node, A, sck("Passage"))
    quads.add(node, sck("inDocument"), source)
    quads.add(node, sck("locator"), ox.Literal(locator))
    quads.add(node, sck("quote"), ox.Literal(text, language=lang))
    return node


def default_graph(name: str) -> str:
    return str(SCKG[name])
