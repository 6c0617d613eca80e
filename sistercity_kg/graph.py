"""The :class:`KnowledgeGraph`: one object over a store, with load, query, validate and export.

The store is pyoxigraph (Oxigraph): it parses ~10x and joins up to 1000x faster than
rdflib's engine. rdflib terms are what callers see; pyshacl validates an rdflib copy.

Examples
--------
>>> import sistercity_kg as sck
>>> kg = sck.load()
>>> len(kg) > 0
True
>>> kg.validate().conforms
True
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from .binding import bind_parameters, undeclared_prefixes
from .errors import ExportError, LoadError, QueryError, RdfSyntaxError, StoreError
from .formats import RdfFormat
from .namespaces import PREFIXES, SCKG, prefix_declarations, slugify
from .resources import data_files, ontology_files
from .results import QueryResult
from .stores import Store, as_store
from .terms import to_oxigraph, to_rdflib
from .validation import ValidationReport

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from .edits import Edit

__all__ = ["KnowledgeGraph", "load", "graph_name_for"]

#: Graph names of the bundled ontology files, by file stem.
_ONTOLOGY_GRAPHS = {"sistercity": SCKG.ontology, "schemes": SCKG.schemes}


def graph_name_for(path: str | Path) -> URIRef:
    """The named graph a file is loaded into by default: ``sckg:<slug of the file stem>``.

    >>> str(graph_name_for("data/bandung-seoul.ttl"))
    'https://w3id.org/sistercity-kg/graph/bandung-seoul'
    """
    stem = Path(path).stem
    return _ONTOLOGY_GRAPHS.get(stem, URIRef(SCKG + slugify(stem)))


class KnowledgeGraph:
    """A paradiplomacy knowledge graph over a store: embedded Oxigraph or a SPARQL 1.1 server.

    Each loaded file lives in a named graph of its own; queries see the union of all graphs
    as their default graph, so asserted, bundled and derived facts stay apart yet answer together.
    A knowledge graph is a context manager: leaving the ``with`` block closes its store.

    Parameters
    ----------
    store : Store or pyoxigraph.Store, optional
        The store to use (see :mod:`sistercity_kg.stores`); a new in-memory store by default.
    """

    def __init__(self, store: Store | ox.Store | None = None) -> None:
        #: The :class:`~sistercity_kg.stores.Store` holding the graphs.
        self.store: Store = as_store(store)

    @property
    def _store(self) -> ox.Store:
        """The :class:`pyoxigraph.Store` of an embedded store (code that needs Oxigraph itself).

        Raises
        ------
        StoreError
            If the knowledge graph lives in a SPARQL server (use :attr:`store` and :meth:`sparql`).
        """
        oxigraph = getattr(self.store, "oxigraph", None)
        if oxigraph is None:
            raise StoreError(f"{self.store!r} has no embedded Oxigraph store; use kg.store or kg.sparql().")
        return oxigraph

    # -- lifetime ------------------------------------------------------------------

    def close(self) -> None:
        """Close the store (on disk: flush and release the folder; remote: nothing to release)."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def push(self, target: KnowledgeGraph | Store | str, *, graphs: Iterable[str | URIRef] | None = None) -> int:
        """Copy the named graphs into another store, replacing those graphs there; all or nothing.

        See :func:`sistercity_kg.stores.push.push`.
        """
        from .stores.push import push

        return push(self, target, graphs=graphs)

    # -- size and contents ---------------------------------------------------------

    def __len__(self) -> int:
        """Number of quads (triples in any graph) in the store."""
        return len(self.store)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph with {len(self)} quads in {len(self.graph_names())} graphs>"

    def graph_names(self) -> list[URIRef]:
        """The named graphs in the store, sorted."""
        return sorted(URIRef(g.value) for g in self.store.named_graphs())

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """Every distinct triple of the union of the graphs, as rdflib terms."""
        seen: set[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, object]] = set()
        for quad in self.store.quads():
            key = (quad.subject, quad.predicate, quad.object)
            if key not in seen:
                seen.add(key)
                yield to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)

    def to_rdflib(self) -> Graph:
        """The union of all graphs as a new rdflib :class:`~rdflib.Graph` (a copy)."""
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True, replace=True)
        for triple in self.triples():
            graph.add(triple)
        return graph

    def to_dataset(self) -> Dataset:
        """All graphs as a new rdflib :class:`~rdflib.Dataset` (a copy), named graphs kept."""
        dataset = Dataset(default_union=True)
        for prefix, iri in PREFIXES.items():
            dataset.bind(prefix, iri, override=True, replace=True)
        for quad in self.store.quads():
            name = to_rdflib(quad.graph_name) if isinstance(quad.graph_name, ox.NamedNode) else None
            dataset.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object), name))
        return dataset

    # -- loading -------------------------------------------------------------------

    def load_file(
        self,
        path: str | Path,
        *,
        format: RdfFormat | str | None = None,
        graph: str | URIRef | None = None,
    ) -> int:
        """Load an RDF file into the store, all of it or nothing.

        Parameters
        ----------
        path : str or Path
            The file to read (a path, never content).
        format : RdfFormat or str, optional
            The syntax; guessed from the suffix by default.
        graph : str or URIRef, optional
            The named graph for triples outside any graph block; ``sckg:<file stem>`` by default.
            Quads of a TriG or N-Quads file keep their own graphs.

        Returns
        -------
        int
            The number of quads the file added.

        Raises
        ------
        MissingFileError
            If there is no such file.
        RdfSyntaxError
            If the file is not valid in its syntax (names the file, line and column).
        UnsupportedFormatError
            If the format cannot be told from the suffix or is unknown.
        """
        from .inputs import rdf_source, rdf_syntax_error

        path = Path(path)
        source = rdf_source(path)  # missing, a folder, unreadable, not UTF-8: the library's errors
        fmt = _as_format(format, path)
        target = ox.NamedNode(str(graph if graph is not None else graph_name_for(path)))
        before = len(self.store)
        try:
            # Store.load is one transaction: a syntax error leaves the store untouched.
            self.store.load(**source, format=fmt.oxigraph, graph=target)
        except SyntaxError as exc:
            raise rdf_syntax_error(exc, path, data=source.get("data")) from None
        except MemoryError as exc:  # Oxigraph's parsers stop at a 16 MB term
            raise LoadError(f"{path}: {exc}; expected every literal and IRI below 16 MB. Nothing was loaded.") from None
        except (OSError, ValueError) as exc:
            raise LoadError(f"{path}: could not be read as {fmt.value} ({exc}).") from None
        return len(self.store) - before

    def load_data(
        self,
        data: str | bytes,
        *,
        format: RdfFormat | str,
        graph: str | URIRef,
    ) -> int:
        """Load RDF given as content (not a path) into a named graph, all or nothing.

        Raises
        ------
        RdfSyntaxError
            If the content is not valid in its syntax.
        """
        fmt = _as_format(format, None)
        before = len(self.store)
        try:
            self.store.load(data=data, format=fmt.oxigraph, graph=ox.NamedNode(str(graph)))
        except SyntaxError as exc:
            from .inputs import rdf_syntax_error

            raise rdf_syntax_error(exc, None) from None
        return len(self.store) - before

    def add(self, triples: Iterable[tuple[Node, Node, Node]], *, graph: str | URIRef) -> int:
        """Add rdflib triples to a named graph in one transaction; returns how many were new."""
        name = ox.NamedNode(str(graph))
        quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in triples]
        before = len(self.store)
        self.store.extend(quads)
        return len(self.store) - before

    def clear_graph(self, graph: str | URIRef) -> None:
        """Remove one named graph and everything in it."""
        self.store.drop_graph(ox.NamedNode(str(graph)))

    def remove(self, triples: Iterable[tuple[Node, Node, Node]], *, graph: str | URIRef) -> int:
        """Remove rdflib triples from a named graph; returns how many were there.

        See :func:`sistercity_kg.edits.remove_triples`.
        """
        from .edits import remove_triples

        return remove_triples(self, triples, graph=str(graph))

    def edits(self) -> AbstractContextManager[Edit]:
        """``with kg.edits() as edit:`` records what the block adds and removes, for :meth:`revalidate`.

        See :mod:`sistercity_kg.edits`.
        """
        from .edits import recording

        return recording(self)

    # -- querying ------------------------------------------------------------------

    def sparql(
        self, query: str, *, bindings: Mapping[str, Node] | None = None, allow_network: bool = False
    ) -> QueryResult:
        """Run a raw SPARQL query over the union of the graphs.

        The prefixes of :data:`~sistercity_kg.namespaces.PREFIXES` (``sck:``, ``rdfs:``, ``skos:`` …)
        are predeclared; a query's own ``PREFIX`` lines override them.
        ``bindings`` are bound as RDF terms in a ``VALUES`` block (see :mod:`sistercity_kg.binding`).
        A ``SERVICE`` clause is refused unless ``allow_network=True`` (see :mod:`sistercity_kg.inputs`).

        Raises
        ------
        QueryError
            If the query is malformed or fails, nests too deeply, or calls a ``SERVICE`` not allowed.
        """
        from .inputs import check_query

        check_query(query, allow_network=allow_network)
        text = bind_parameters(query, bindings) if bindings else query
        # The prefixes of PREFIXES that the text mentions are predeclared on the query's first line
        # (a query's own PREFIX lines come later and win), so line numbers in errors stay the user's.
        predeclared = prefix_declarations(text)
        try:
            return self.store.query(predeclared + text)
        except SyntaxError as exc:
            missing = undeclared_prefixes(text, known=PREFIXES)
            if missing:
                names = ", ".join(f"{p}:" for p in missing)
                raise QueryError(
                    f"The SPARQL query uses the prefix {names} without declaring it; "
                    f"add a line such as PREFIX {missing[0]}: <https://example.org/ns#>."
                ) from None
            raise QueryError(f"The SPARQL query is malformed: {_unshift(str(exc), len(predeclared))}.") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"The SPARQL query failed: {exc}.") from None

    def query(
        self,
        query: str | Path | Any,
        *,
        bindings: Mapping[str, Any] | None = None,
        sources: Iterable[str] | str | None = None,
        allow_network: bool = False,
    ) -> QueryResult:
        """Run a named query (``"cq-interests"``), a ``.rq`` file or SPARQL text.

        A named query or file gets ``bindings`` checked against its parameters and bound as RDF
        terms, defaults filling the rest (see :mod:`sistercity_kg.queries`); SPARQL text gets them
        bound as given. ``sources`` (source-document IRIs, CURIEs or slugs) restricts the question
        to the graphs of those sources plus the ontology and schemes (see :mod:`sistercity_kg.sources`).

        Raises
        ------
        UnknownQueryError
            If a name is not a bundled query (the message lists the closest names).
        ParameterError
            If a parameter is unknown, missing or of the wrong type.
        QueryError
            If the query is malformed or fails.
        """
        from .queries import run_query

        return run_query(self, query, bindings=bindings, sources=sources, allow_network=allow_network)

    def infer(self, *, rebuild: bool = False, exclude: Iterable[str] = ()) -> Any:
        """Materialise the rules of ``queries/rules/`` into ``sckg:inferred/<rule-id>`` graphs.

        See :func:`sistercity_kg.rules.infer`; returns an :class:`~sistercity_kg.rules.InferenceReport`.
        """
        from .rules import infer

        return infer(self, rebuild=rebuild, exclude=exclude)

    def clear_inferred(self) -> int:
        """Drop every derived graph (``sckg:inferred`` and ``sckg:inferred/...``); returns how many."""
        from .rules import clear_inferred

        return clear_inferred(self)

    def network(self, kind: str = "actors", **options: Any) -> Any:
        """A networkx projection: ``"actors"``, ``"cooperation"``, ``"fields"`` or ``"policy-transfer"``.

        See :func:`sistercity_kg.network.network` for the filters (field, status, as_of, lang).
        """
        from .network import network

        return network(self, kind, **options)

    def write_back(self, metrics: Any, **options: Any) -> list[URIRef]:
        """Store network metrics as RDF in ``sckg:metrics``; see :func:`sistercity_kg.analysis.write_back`."""
        from .analysis import write_back

        return write_back(self, metrics, **options)

    # -- importing (sistercity_kg.importers) --------------------------------------------

    def import_table(self, path: str | Path, *, graph: str | URIRef | None = None):  # -> ImportResult
        """Import an agreements or activities spreadsheet (CSV or XLSX), all rows or none.

        See :mod:`sistercity_kg.importers.table`. Raises :class:`~sistercity_kg.errors.ImportRowsError`
        listing every row error; then nothing is added.
        """
        from .importers.table import import_table

        return import_table(self, path, graph=None if graph is None else str(graph))

    def import_twin_list(self, path: str | Path, *, graph: str | URIRef | None = None, progress=None):
        """Import a world twin list (``city1,country1,lat1,lng1,city2,...``) into ``sckg:twin-cities``.

        See :mod:`sistercity_kg.importers.twinlist`.
        """
        from .importers.twinlist import import_twin_list

        return import_twin_list(self, path, graph=None if graph is None else str(graph), progress=progress)

    def import_wikidata(self, path: str | Path, *, graph: str | URIRef | None = None):
        """Import P190 twinning statements from a saved Wikidata JSON file into ``sckg:wikidata``.

        See :mod:`sistercity_kg.importers.wikidata`; the library never fetches from the network.
        """
        from .importers.wikidata import import_wikidata

        return import_wikidata(self, path, graph=None if graph is None else str(graph))

    def reconcile(self, other: "KnowledgeGraph | None" = None):  # -> ReconciliationReport
        """Where the sources (named graphs) of this graph, and of ``other``, disagree about partnerships.

        See :mod:`sistercity_kg.importers.reconcile`.
        """
        from .importers.reconcile import reconcile

        return reconcile(self, other)

    # -- validation ----------------------------------------------------------------

    def validate(
        self, *, shapes: Graph | None = None, engine: str = "auto", focus: Iterable[Node] | None = None
    ) -> ValidationReport:
        """Validate the union of the graphs against the SHACL shapes (the bundled ones by default).

        The shapes are compiled to SPARQL and run by Oxigraph; pySHACL validates any shape the
        compiler does not cover (``engine="auto"``), or all of them (``engine="pyshacl"``).
        ``focus`` validates only those nodes. See :func:`sistercity_kg.shacl.validate`.

        Raises
        ------
        ShapesError
            If the shapes cannot be applied.
        """
        from .shacl import validate

        return validate(self, shapes=shapes, engine=engine, focus=focus)

    def revalidate(
        self,
        previous: ValidationReport,
        *,
        added: Iterable[tuple[Node, Node, Node]] = (),
        removed: Iterable[tuple[Node, Node, Node]] = (),
        edit: Edit | None = None,
        shapes: Graph | None = None,
    ) -> ValidationReport:
        """The report after an edit, re-checking only the focus nodes the edit can affect.

        ``previous`` is the report of this graph just before the edit; the edit is ``added`` and
        ``removed`` triples and/or an ``edit`` recorded by :meth:`edits`. The result equals
        :meth:`validate` of the edited graph. See :mod:`sistercity_kg.shacl.incremental`.
        """
        from .shacl.incremental import revalidate

        return revalidate(self, previous, added=added, removed=removed, edit=edit, shapes=shapes)

    # -- export --------------------------------------------------------------------

    def serialize(self, *, format: RdfFormat | str = RdfFormat.TURTLE) -> str:
        """Serialise the graph to text.

        Triple formats (Turtle, N-Triples, RDF/XML) get the union of the graphs; dataset formats
        (TriG, N-Quads, JSON-LD) keep the named graphs. Output is sorted and uses ``PREFIXES``,
        so the same graph always gives the same text.
        """
        return self._serialize_bytes(_as_format(format, None)).decode("utf-8")

    def export(self, path: str | Path, *, format: RdfFormat | str | None = None) -> Path:
        """Write the graph to a file atomically; the format comes from the suffix unless given.

        The text goes to a temporary file in the same folder that is renamed into place, so an
        error never leaves a truncated file behind.

        Raises
        ------
        UnsupportedFormatError
            If the format cannot be told from the suffix.
        ExportError
            If the file cannot be written (the old file, if any, is untouched).
        """
        path = Path(path)
        fmt = _as_format(format, path)
        payload = self._serialize_bytes(fmt)
        return atomic_write_bytes(path, payload)

    def _serialize_bytes(self, fmt: RdfFormat) -> bytes:
        from .serialization import serialize_store

        return serialize_store(self.store, fmt)


def load(*, include_data: bool = True, layers: Iterable[str] | None = None) -> KnowledgeGraph:
    """Load the bundled ontology, concept schemes and (by default) the bundled data.

    Parameters
    ----------
    include_data : bool
        False loads the ontology and the schemes only.
    layers : iterable of str, optional
        The data layers to load, by file stem: ``"bandung-seoul"`` (the thesis chapter,
        ``data/bandung-seoul.ttl``) and ``"bandung-seoul-sources"`` (news, official pages and
        an encyclopedia, ``data/bandung-seoul-sources.trig``, one named graph per source).
        All layers by default.

    Returns
    -------
    KnowledgeGraph
        An in-memory knowledge graph; each file in its own named graph (a TriG file's
        graphs kept, its default graph in the file's graph).

    Raises
    ------
    LoadError
        If a layer is not a bundled data file (the message lists the layers).

    Examples
    --------
    >>> import sistercity_kg as sck
    >>> kg = sck.load()
    >>> str(sck.SCKG["bandung-seoul"]) in {str(g) for g in kg.graph_names()}
    True
    >>> thesis = sck.load(layers=["bandung-seoul"])
    >>> str(sck.SCKG["bandung-seoul-sources"]) in {str(g) for g in thesis.graph_names()}
    False
    """
    kg = KnowledgeGraph()
    for path in ontology_files():
        kg.load_file(path)
    if include_data:
        files = {path.stem: path for path in data_files()}
        chosen = list(files) if layers is None else [layers] if isinstance(layers, str) else list(layers)
        unknown = [name for name in chosen if name not in files]
        if unknown:
            raise LoadError(f"No bundled data layer {unknown[0]!r}; the layers are: {', '.join(files)}.")
        for name in chosen:
            kg.load_file(files[name])
    return kg


def atomic_write_bytes(path: Path, payload: bytes) -> Path:
    """Write bytes to ``path`` through a temporary file renamed into place.

    Raises
    ------
    ExportError
        If the folder does not exist or cannot be written.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{path}: the folder {folder} does not exist; create it first.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write in {folder} ({exc.strerror}).") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            # mkstemp makes the file private (0600); give it the mode a plain open() would have
            os.chmod(tmp_name, path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode())
        os.replace(tmp_name, path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(f"{path}: could not be written ({exc.strerror}); the old file is untouched.") from None
        raise
    return path


def _unshift(message: str, columns: int) -> str:
    """Give line-1 column numbers in a parser message as they are in the user's own text."""
    return re.sub(r"\b1:(\d+)\b", lambda m: f"1:{max(1, int(m.group(1)) - columns)}", message)


def _new_file_mode() -> int:
    """0o666 less the process umask, read without changing it (Linux); 0o644 elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    return 0o644


def _as_format(format: RdfFormat | str | None, path: Path | None) -> RdfFormat:
    if isinstance(format, RdfFormat):
        return format
    if isinstance(format, str):
        return RdfFormat.parse(format)
    if path is None:
        raise TypeError("format= is required when there is no file name to guess it from.")
    return RdfFormat.from_path(path)


def _syntax_error(exc: SyntaxError, path: Path | None) -> RdfSyntaxError:
    reason = str(exc.msg if exc.msg else exc)
    # pyoxigraph's message repeats the position; keep only what was expected or found.
    if ": " in reason and reason.startswith("Parser error"):
        reason = reason.split(": ", 1)[1]
    return RdfSyntaxError(reason, path=path, line=exc.lineno, column=exc.offset)
