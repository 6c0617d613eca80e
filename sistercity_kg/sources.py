"""Source documents and their named graphs: restrict any question to chosen sources.

Each data layer keeps each source document's claims in a named graph of its own (the thesis
chapter in ``sckg:bandung-seoul``, each news item, official page or encyclopedia article of
``data/bandung-seoul-sources.trig`` in ``sckg:source-<slug>``). A graph rests on the source
documents that

* the catalogue names for it (``<graph> prov:wasDerivedFrom <document>``, kept in the default
  graph of the TriG file, i.e. ``sckg:bandung-seoul-sources``), and
* its passages belong to (``?passage sck:inDocument <document>`` inside the graph).

Restricting a question to a set of sources keeps the graphs that rest **only** on chosen
documents — a graph mixing several sources (the editors' identifications) comes in when all
of them are chosen — plus the ontology and the concept schemes. Derived graphs
(``sckg:inferred/...``), metrics and the catalogue itself are left out: they are not claims of
any one source.

Two ways to use it:

* ``kg.query("cq-activities-by-status", sources=["bisnis-2021-11-18"])`` runs the question on
  the chosen graphs only (an in-memory copy of them, so it gives the same answer on every store);
* :func:`restrict_query` rewrites SPARQL text with ``FROM`` / ``FROM NAMED`` clauses, for
  running it elsewhere (a SPARQL server whose default graph is *not* the union of all graphs:
  Oxigraph and others ignore ``FROM`` when asked to use the union).

A source is named by its IRI, a CURIE (``sckid:source/bisnis-2021-11-18``) or its slug
(``bisnis-2021-11-18``).

Examples
--------
>>> import sistercity_kg as sck
>>> kg = sck.load()
>>> [str(g).rsplit("/", 1)[1] for g in source_graphs(kg, ["bisnis-2021-11-18"])]
['ontology', 'schemes', 'source-bisnis-2021-11-18']
>>> len(kg.query("cq-activities-by-status", sources=["bandung-seoul-thesis-chapter-5"])) > 0
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from rdflib import Literal, URIRef

from .errors import ParameterError, QueryError
from .namespaces import SCKG, SCKID
from .queries import expand_curie

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph

__all__ = ["SourceInfo", "source_documents", "graph_sources", "source_graphs", "resolve_sources",
           "restrict_query", "restricted"]

#: Graphs every restricted question keeps: the vocabulary.
ALWAYS = (SCKG.ontology, SCKG.schemes)

_GRAPH_SOURCES = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX sck: <https://w3id.org/sistercity-kg/ontology#>
SELECT DISTINCT ?g ?doc WHERE {
  { ?g prov:wasDerivedFrom ?doc . ?doc a sck:SourceDocument . }
  UNION
  { GRAPH ?g { ?passage sck:inDocument ?doc . } }
}
"""

_SOURCES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX sck: <https://w3id.org/sistercity-kg/ontology#>
SELECT ?doc (SAMPLE(?t) AS ?title) (SAMPLE(?l) AS ?label) (SAMPLE(?pub) AS ?publisher)
       (SAMPLE(?d) AS ?date) (SAMPLE(?u) AS ?url) (SAMPLE(?lang) AS ?language) (SAMPLE(?k) AS ?kind)
WHERE {
  ?doc a sck:SourceDocument .
  OPTIONAL { ?doc dcterms:title ?t }
  OPTIONAL { ?doc rdfs:label ?l FILTER (lang(?l) = ?want) }
  OPTIONAL { ?doc dcterms:publisher ?pub }
  OPTIONAL { ?doc dcterms:date ?d }
  OPTIONAL { ?doc schema:url ?u }
  OPTIONAL { ?doc dcterms:language ?lang }
  OPTIONAL { ?doc dcterms:type ?k }
}
GROUP BY ?doc
ORDER BY ?doc
"""


@dataclass(frozen=True)
class SourceInfo:
    """A source document as the data describes it (all but ``iri`` may be missing)."""

    iri: URIRef
    title: str | None
    label: str | None
    publisher: str | None
    date: str | None
    url: str | None
    language: str | None
    kind: str | None
    graphs: tuple[URIRef, ...]

    @property
    def slug(self) -> str:
        """The last part of the IRI, e.g. ``"bisnis-2021-11-18"``."""
        return str(self.iri).rstrip("/").rsplit("/", 1)[-1]


def graph_sources(kg: "KnowledgeGraph") -> dict[URIRef, frozenset[URIRef]]:
    """Each named graph that rests on source documents, with those documents."""
    found: dict[URIRef, set[URIRef]] = {}
    for row in kg.sparql(_GRAPH_SOURCES).rows:
        found.setdefault(row["g"], set()).add(row["doc"])
    return {g: frozenset(docs) for g, docs in found.items()}


def source_documents(kg: "KnowledgeGraph", *, lang: str = "en") -> list[SourceInfo]:
    """Every ``sck:SourceDocument`` with its title, publisher, date, address, language and kind.

    >>> import sistercity_kg as sck
    >>> docs = source_documents(sck.load())
    >>> "bisnis-2021-11-18" in [d.slug for d in docs]
    True
    """
    by_doc: dict[URIRef, list[URIRef]] = {}
    for graph, docs in graph_sources(kg).items():
        for doc in docs:
            by_doc.setdefault(doc, []).append(graph)
    out = []
    for row in kg.sparql(_SOURCES, bindings={"want": Literal(lang)}).rows:
        doc = row["doc"]
        out.append(SourceInfo(
            iri=doc,
            title=_text(row.get("title")),
            label=_text(row.get("label")),
            publisher=_text(row.get("publisher")),
            date=_text(row.get("date")),
            url=_text(row.get("url")),
            language=_text(row.get("language")),
            kind=_text(row.get("kind")),
            graphs=tuple(sorted(by_doc.get(doc, []))),
        ))
    return out


def resolve_sources(kg: "KnowledgeGraph", sources: Iterable[str | URIRef] | str | URIRef) -> set[URIRef]:
    """The source-document IRIs that IRIs, CURIEs or slugs name.

    Raises
    ------
    ParameterError
        If a name is not a source document of the graph (the message lists the known ones).
    """
    if isinstance(sources, (str, URIRef)):
        sources = [sources]
    known = {d for docs in graph_sources(kg).values() for d in docs}
    chosen: set[URIRef] = set()
    for name in sources:
        text = str(name).strip().removeprefix("<").removesuffix(">")
        iri = URIRef(expand_curie(text)) if ":" in text else URIRef(f"{SCKID}source/{text}")
        if iri not in known:
            slugs = ", ".join(sorted(str(d).rsplit("/", 1)[-1] for d in known))
            raise ParameterError(f"sources: {str(name)!r} is not a source document of this graph; known: {slugs}.")
        chosen.add(iri)
    if not chosen:
        raise ParameterError("sources: give at least one source document.")
    return chosen


def source_graphs(kg: "KnowledgeGraph", sources: Iterable[str | URIRef] | str | URIRef) -> list[URIRef]:
    """The graphs a question restricted to ``sources`` sees: the vocabulary, then the graphs
    resting only on chosen documents (sorted)."""
    chosen = resolve_sources(kg, sources)
    present = set(kg.graph_names())
    picked = sorted(g for g, docs in graph_sources(kg).items() if docs <= chosen and g in present)
    return [g for g in ALWAYS if g in present] + picked


def restricted(kg: "KnowledgeGraph", sources: Iterable[str | URIRef] | str | URIRef) -> "KnowledgeGraph":
    """A new in-memory knowledge graph holding only the graphs of :func:`source_graphs`."""
    import pyoxigraph as ox

    from .graph import KnowledgeGraph

    subset = KnowledgeGraph()
    quads = []
    for graph in source_graphs(kg, sources):
        quads.extend(kg.store.quads(ox.NamedNode(str(graph))))
    subset.store.extend(quads)
    return subset


# Tokens that can hide a brace or a keyword: comments, strings, IRIs.
_SKIP = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def restrict_query(query: str, graphs: Iterable[str | URIRef]) -> str:
    """Add ``FROM <g>`` and ``FROM NAMED <g>`` for each graph before the query's ``WHERE``.

    Raises
    ------
    QueryError
        If the query already has a dataset clause (``FROM``) or no ``WHERE`` group is found.

    >>> print(restrict_query("SELECT * WHERE { ?s ?p ?o }", ["https://example.org/g"]))
    SELECT * FROM <https://example.org/g>
    FROM NAMED <https://example.org/g>
    WHERE { ?s ?p ?o }
    """
    graphs = [str(g) for g in graphs]
    depth, pos, form, skipped_template = 0, 0, None, False
    insert_at = None
    while pos < len(query):
        match = _SKIP.match(query, pos)
        if match:
            pos = match.end()
            continue
        char = query[pos]
        if char == "{":
            if depth == 0:
                if form == "CONSTRUCT" and not skipped_template:
                    skipped_template = True  # CONSTRUCT { template } WHERE { ... }
                else:
                    insert_at = pos
                    break
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and (word := _WORD.match(query, pos)) and (pos == 0 or not query[pos - 1].isalnum()):
            token = word.group(0).upper()
            if token in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and form is None:
                form = token
            elif token == "FROM" and form is not None:
                raise QueryError("The query already has a FROM clause; cannot restrict it to sources as well.")
            elif token == "WHERE" and form is not None:
                insert_at = pos
                break
            pos = word.end()
            continue
        pos += 1
    if insert_at is None:
        raise QueryError("No WHERE group found in the query; cannot restrict it to sources.")
    clauses = "".join(f"FROM <{g}>\n" for g in graphs) + "".join(f"FROM NAMED <{g}>\n" for g in graphs)
    return query[:insert_at] + clauses + query[insert_at:]


def _text(term: object) -> str | None:
    return None if term is None else str(term)
