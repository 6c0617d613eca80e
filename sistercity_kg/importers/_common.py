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

import functools
import hashlib
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox

from ..namespaces import PREFIXES, SCKG, mint, mint_iri, slugify

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["ImportResult", "Quads", "GraphIndex", "norm", "nt_string", "source_document_iri"]

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
# ... and as N-Triples text, for the statements written as text (see Quads.add_nt)
_A_NT = f"<{RDF}type>"
_LABEL_NT = f"<{RDFS}label>"
_ALT_LABEL_NT = f"<{SKOS}altLabel>"
_DERIVED_NT = f"<{PROV}wasDerivedFrom>"
_COUNTRY_NT = f"<{SCK}country>"
_GOVERNS_NT = f"<{SCK}governs>"
_GOVERNED_BY_NT = f"<{SCK}governedBy>"
_COUNTRY_CLASS_NT = f"<{SCK}Country>"
_JURISDICTION_CLASS_NT = f"<{SCK}Jurisdiction>"
_SUB_STATE_ACTOR_NT = f"<{SCK}SubStateActor>"

#: Classes whose instances are sub-state actors (the graph may lack the ontology's subclass axioms).
ACTOR_CLASSES = ("SubStateActor", "CityGovernment", "RegencyGovernment", "ProvincialGovernment", "MetropolitanGovernment")


# N-Triples text written directly. A large import (the twin list: ~600,000 statements) spent
# most of its time building pyoxigraph terms, hashing them for de-duplication and str()-ing
# them; text made here is the same, byte for byte, as str() of the equivalent term.

#: Oxigraph's own escaping of string literals (oxrdf ``print_quoted_str``), so ``nt_string(t)``
#: equals ``str(ox.Literal(t))``: every character N-Triples forbids raw (``"``, ``\\``, line
#: breaks) and every other control character is escaped; the rest is written as is.
_NT_ESCAPES = {code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)}
_NT_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
_NT_SPECIAL = re.compile(r'[\x00-\x1f"\\\x7f]')


def nt_string(text: str) -> str:
    r"""The N-Triples text of the plain literal ``text`` (quoted and escaped).

    >>> print(nt_string('Say "hi"\tnow'))
    "Say \"hi\"\tnow"
    """
    if _NT_SPECIAL.search(text) is None:  # the common case: nothing to escape
        return f'"{text}"'
    return f'"{text.translate(_NT_ESCAPES)}"'


def nt(node: ox.NamedNode) -> str:
    """The N-Triples text of a named node (its IRI was checked when the node was made)."""
    return f"<{node.value}>"


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


@functools.lru_cache(maxsize=None)
def sck(local: str) -> ox.NamedNode:
    # cached: the few ontology terms are asked for once per statement, and making a
    # NamedNode checks its IRI each time
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
    """A buffer of quads for one named graph, added to the store in one go.

    Statements are kept as N-Triples lines, in the order added. A statement added twice is
    stored once: the store holds a set (a term has exactly one N-Triples text, so equal lines
    are equal statements, and :meth:`commit` drops repeated lines before loading). Hashing
    every line to de-duplicate it while adding took about a third of the Python time of the
    twin list, which repeats almost none.

    A long import on an embedded store can :meth:`stream` instead: the store's load (one
    transaction, as with :meth:`commit`) then runs in a thread while the rows are still
    being made, reading the lines :meth:`flush` sends; :meth:`commit` ends it, and
    :meth:`abort` makes it fail so that nothing is added.
    """

    def __init__(self, graph: str) -> None:
        self.graph = ox.NamedNode(str(graph))
        self._lines: list[str] = []
        #: Add one N-Triples line (no newline) made as :meth:`add_nt` requires; the fastest way in.
        self.add_line = self._lines.append
        self._loader: _PipeLoader | None = None
        self._before = 0  # the store's size when the loader started

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        """Add a statement of pyoxigraph terms (each checked by pyoxigraph when it was made)."""
        self._lines.append(f"{s} {p} {o} .")

    def add_nt(self, s: str, p: str, o: str) -> None:
        """Add a statement given as N-Triples terms.

        Only for text the library makes itself: IRIs of checked nodes (:func:`nt`), IRIs minted
        from :func:`~sistercity_kg.namespaces.slugify` slugs (letters, digits and hyphens only),
        literals through :func:`nt_string` with a constant language tag or datatype. The text
        is loaded with Oxigraph's IRI checks off (see :meth:`commit`).
        """
        self._lines.append(f"{s} {p} {o} .")

    def __len__(self) -> int:
        """The number of distinct statements added (and not yet sent to a loader: see :meth:`flush`)."""
        return len(set(self._lines))

    def triples(self) -> Iterable[tuple[object, object, object]]:
        """The statements as pyoxigraph terms (parsed back from the buffer)."""
        for triple in ox.parse("\n".join(dict.fromkeys(self._lines)), format=ox.RdfFormat.N_TRIPLES):
            yield (triple.subject, triple.predicate, triple.object)

    def stream(self, kg: KnowledgeGraph) -> None:
        """Start loading into ``kg`` now, in a thread, if its store is embedded (else nothing
        changes: :meth:`commit` sends everything at the end).

        Call it after the last read of the store (the load runs beside the caller) and end
        with :meth:`commit`, or :meth:`abort` on any error.
        """
        if getattr(kg.store, "oxigraph", None) is None or not _PipeLoader.available():
            return
        self._before = kg.store.count()
        self._loader = _PipeLoader(kg, self.graph)

    def feed(self) -> None:
        """Send the lines added since the last send once there are about half a pipe's worth.

        Cheap to call after every row. The pipe then always holds the other half for the loader
        to parse while the next lines are made: sending 500 rows at a time (more than the pipe
        holds) left the loader idle while they were made and the caller blocked while they were
        read, each about a quarter of the time (twin list: 2.9 -> 2.2 s).
        """
        if self._loader is not None and len(self._lines) >= self._loader.lines_per_send:
            self.flush()

    def flush(self) -> None:
        """Send the lines added since the last flush to the loader (when streaming), and forget them.

        The lines sent are dropped from the buffer (so :func:`len` and :meth:`triples` cover only
        what is still to be sent): freed while the import runs, their memory is reused for the next
        lines, where keeping the ~600,000 lines of the world twin list took 0.1 s more to free at
        the end and touched ~110 MB of fresh memory.
        """
        lines = self._lines
        if self._loader is not None and lines:
            # encoded line by line: most lines are ASCII (a copy each), while one joined str
            # holding a few non-Latin-1 names would be 4 bytes a character and slower to encode
            data = b"\n".join([line.encode("utf-8") for line in lines]) + b"\n"
            lines.clear()  # in place: add_line is this list's append
            self._loader.send(data)

    def abort(self) -> None:
        """Stop a streaming load so that it adds nothing (nothing to do otherwise)."""
        if self._loader is not None:
            loader, self._loader = self._loader, None
            loader.abort()

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
        if self._loader is not None:  # streaming: send the rest, then the load commits
            try:
                self.flush()
            except BaseException:
                self.abort()
                raise
            loader, self._loader = self._loader, None
            loader.finish()
            return store.count() - self._before
        before = store.count()
        if self._lines:
            text = "\n".join(dict.fromkeys(self._lines))
            # lenient: every line is made of checked pyoxigraph terms or of text made as
            # add_nt requires (library IRIs, escaped literals, constant tags), so Oxigraph's
            # IRI and language-tag checks could only repeat ours (they cost ~25% of the load);
            # N-Triples syntax is still parsed strictly, so a broken line still adds nothing.
            store.load(data=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, graph=self.graph, lenient=True)
        return store.count() - before


class _PipeLoader:
    """The store's ``load`` (one transaction) reading N-Triples from a pipe, in a thread.

    Oxigraph opens the pipe by path (``/dev/fd/N``) and parses and inserts without holding
    Python's lock, so on a second core it works beside the Python code making the lines (the
    twin list: ~1.8 s of CPU in Python, ~1.9 s in the load; about 2.1 s together with two free
    cores instead of 3.7 s one after the other, when :meth:`Quads.feed` keeps the pipe half
    full). Only the end of the pipe ends the transaction: :meth:`abort` sends a line that is
    not N-Triples, the load fails with a syntax error and adds nothing. Where there is no ``/dev/fd`` (Windows), the lines are
    loaded at the end as by :meth:`Quads.commit`.
    """

    #: Not N-Triples in any mode (lenient or not): sent after whole lines, it fails the load.
    _POISON = b"\n!import-aborted\n"

    @staticmethod
    def available() -> bool:
        return os.name == "posix" and os.path.isdir("/dev/fd")

    def __init__(self, kg: KnowledgeGraph, graph: ox.NamedNode) -> None:
        self._read, self._write = os.pipe()
        capacity = 1 << 16  # what a pipe holds by default on Linux
        try:  # a larger pipe buffer: fewer switches between the two threads (Linux only)
            import fcntl

            capacity = fcntl.fcntl(self._write, fcntl.F_SETPIPE_SZ, 1 << 20)  # type: ignore[attr-defined]
        except (ImportError, AttributeError, OSError):
            pass
        #: How many lines :meth:`Quads.feed` sends at once: half the pipe, at ~200 bytes a line.
        self.lines_per_send = max(64, capacity // 2 // 200)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, args=(kg, graph), name="sistercity-kg import", daemon=True)
        self._thread.start()

    def _load(self, kg: KnowledgeGraph, graph: ox.NamedNode) -> None:
        try:
            # lenient: as in Quads.commit, only library-made lines come through this pipe
            kg.store.load(path=f"/dev/fd/{self._read}", format=ox.RdfFormat.N_TRIPLES, graph=graph, lenient=True)
        except BaseException as exc:  # re-raised by finish() in the caller's thread
            self._error = exc
        finally:
            # the last read end: a writer still sending now gets BrokenPipeError, not a hang
            os.close(self._read)

    def send(self, data: bytes) -> None:
        """Write ``data`` (whole lines) to the pipe; raise the loader's error if it stopped."""
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._write, view):]
        except BrokenPipeError:
            self.finish()  # raises the loader's error
            raise

    def finish(self) -> None:
        """Close the pipe, wait for the load to end, and raise its error if it failed."""
        if self._write >= 0:
            os.close(self._write)
            self._write = -1
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        """Make the load fail (nothing is added) and wait for it."""
        if self._write >= 0:
            try:
                self.send(self._POISON)
            except BaseException:  # the load had already stopped: nothing was added either
                pass
        try:
            self.finish()
        except BaseException:
            pass  # the syntax error asked for, or the load's own error


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
        self.label_nt(quads, node.value, text, lang, str(ox.Literal(text, language=lang)))

    def label_nt(self, quads: Quads, value: str, text: str, lang: str, literal: str | None = None) -> None:
        """:meth:`label` for the node with IRI ``value``; ``literal`` is the label's N-Triples
        text, made here with :func:`nt_string` when not given (then ``lang`` must be a
        well-formed, lower-case tag written by the library)."""
        current = self.labels.get((value, lang))
        if current is None:
            self.labels[(value, lang)] = text
            quads.add_nt(f"<{value}>", _LABEL_NT, literal or f"{nt_string(text)}@{lang}")
        elif current != text:
            quads.add_nt(f"<{value}>", _ALT_LABEL_NT, literal or f"{nt_string(text)}@{lang}")

    # -- countries, jurisdictions, actors ----------------------------------------

    def country(self, quads: Quads, name: str, passage: ox.NamedNode | None = None, *, qid: str | None = None) -> ox.NamedNode:
        """The country named ``name`` (or with Wikidata ID ``qid``), created if new."""
        node = (self.by_wikidata.get(qid) if qid else None) or self.countries.get(norm(name))
        if node is None:
            node = ox.NamedNode(mint_iri("country", name))
            self.countries[norm(name)] = node
        if node.value not in self.existing:
            self.existing.add(node.value)
            quads.add_nt(nt(node), _A_NT, _COUNTRY_CLASS_NT)
            self.label_nt(quads, node.value, name, "en")
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
            node = ox.NamedNode(mint_iri("jurisdiction", name))
            if self.jurisdiction_country.get(node.value, country) != country:
                node = None
            else:
                self.jurisdictions[key] = node
        if node is None:
            node = ox.NamedNode(mint_iri("jurisdiction", f"{name} {country_name}"))
            self.jurisdictions[key] = node
        node_nt = nt(node)
        if node.value not in self.existing:
            self.existing.add(node.value)
            quads.add_nt(node_nt, _A_NT, _JURISDICTION_CLASS_NT)
            self.label_nt(quads, node.value, name, "en")
            quads.add_nt(node_nt, _COUNTRY_NT, nt(country))
            self.jurisdiction_country[node.value] = country
        if qid:
            quads.add(node, EXACT, ox.NamedNode(WD + qid))
            self.by_wikidata.setdefault(qid, node)
        quads.add_nt(node_nt, _DERIVED_NT, nt(passage))
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
        actor_nt = nt(actor)
        if actor.value not in self.existing:
            self.existing.add(actor.value)
            quads.add_nt(actor_nt, _A_NT, _SUB_STATE_ACTOR_NT)
            self.label_nt(quads, actor.value, f"Government of {name} ({country_name})", "en")
            quads.add_nt(actor_nt, _COUNTRY_NT, nt(country))
            quads.add_nt(actor_nt, _GOVERNS_NT, nt(jurisdiction))
            quads.add_nt(nt(jurisdiction), _GOVERNED_BY_NT, actor_nt)
            self.actor_country[actor.value] = country.value
        quads.add_nt(actor_nt, _DERIVED_NT, nt(passage))
        return actor


def pair_partnership(a: ox.NamedNode, b: ox.NamedNode, kind: str) -> ox.NamedNode:
    """The undirected partnership IRI ``sckid:partnership/<a>--<b>--<kind>`` (slugs sorted)."""
    return ox.NamedNode(partnership_iri(local_slug(a), local_slug(b), slugify(kind)))


def partnership_iri(slug_a: str, slug_b: str, kind_slug: str) -> str:
    """:func:`pair_partnership` as text, from the two jurisdiction slugs and the kind's slug."""
    first, second = sorted((slug_a, slug_b))
    return f"{SCKID}partnership/{first}--{second}--{kind_slug}"


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
    node = ox.NamedNode(passage_iri(local_slug(source), locator))
    quads.add(node, A, sck("Passage"))
    quads.add(node, sck("inDocument"), source)
    quads.add(node, sck("locator"), ox.Literal(locator))
    quads.add(node, sck("quote"), ox.Literal(text, language=lang))
    return node


def passage_iri(source_slug: str, locator: str) -> str:
    """The IRI of the passage at ``locator`` of the source with slug ``source_slug``.

    >>> passage_iri("twins-0123abcd", "row 12")
    'https://w3id.org/sistercity-kg/id/passage/twins-0123abcd--row-12'
    >>> passage_iri("agreements-0123abcd", "Sheet 1, row 3")
    'https://w3id.org/sistercity-kg/id/passage/agreements-0123abcd--sheet-1--row-3'
    """
    number = locator[4:]
    if locator.startswith("row ") and number.isascii() and number.isdigit():
        slug = f"row-{number}"  # what slugify gives, without its cost on every row of a long list
    else:
        slug = slugify(locator).replace("-row-", "--row-")
    return f"{SCKID}passage/{source_slug}--{slug}"


def default_graph(name: str) -> str:
    return str(SCKG[name])
