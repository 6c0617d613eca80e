"""The embedded store: pyoxigraph (Oxigraph) in memory or on disk (RocksDB).

On disk, everything survives closing and reopening, and every load is one transaction: a process
killed in the middle of a load leaves either the whole file or none of it. A second process can
open the same folder with ``read_only=True`` and query it while the first one writes; it sees the
store as it was when it opened it (reopen to see later writes).

Examples
--------
>>> import tempfile, pyoxigraph as ox
>>> folder = tempfile.mkdtemp()
>>> g = ox.NamedNode("https://w3id.org/sistercity-kg/graph/example")
>>> with EmbeddedStore(folder) as store:
...     store.load(data=b"<urn:a> <urn:b> <urn:c> .", format=ox.RdfFormat.N_TRIPLES, graph=g)
>>> with EmbeddedStore(folder, read_only=True) as again:
...     again.count()
1
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from ..results import QueryResult
from ..terms import TsvTerms, to_rdflib, tsv_table
from .base import Store, is_temporary_graph
from .ordering import OrderPlan, Unsortable, column_keys_of, order_plan, sort_order, term_key

__all__ = ["EmbeddedStore", "oxigraph_result", "tsv_rows"]


class EmbeddedStore(Store):
    """A pyoxigraph store, in memory (no ``path``) or in a folder on disk.

    Parameters
    ----------
    path : str or Path, optional
        The folder of an on-disk store (created if missing unless ``create=False``).
    read_only : bool
        Open an existing on-disk store for reading only (other processes may write it).
    create : bool
        Whether a missing folder may be created.
    store : pyoxigraph.Store, optional
        Wrap an existing pyoxigraph store instead.

    Raises
    ------
    StoreError
        If the folder does not exist (and may not be created), is not a store, or is locked
        by another process writing it.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        create: bool = True,
        store: ox.Store | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._closed = False
        if store is not None:
            self.kind = "memory" if path is None else "disk"
            self._ox: ox.Store | None = store
            return
        if self.path is None:
            if read_only:
                raise ValueError("read_only=True needs the path of an on-disk store.")
            self.kind = "memory"
            self._ox = ox.Store()
            return
        self.kind = "disk"
        exists = self.path.is_dir() and any(self.path.iterdir())
        if not exists and (read_only or not create):
            raise StoreError(f"{self.path}: no store there; open it with create=True to make one.")
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path}: not a folder; a store on disk is a folder.")
        try:
            self._ox = _open_read_only(self.path) if read_only else ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:
            hint = (
                " Another process has it open for writing; open it with read_only=True to query it."
                if "lock" in str(exc).lower()
                else ""
            )
            raise StoreError(f"{self.path}: cannot open the store ({exc}).{hint}") from None
        if not read_only:
            self._drop_temporary_graphs()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`.

        Raises
        ------
        StoreError
            If the store has been closed.
        """
        if self._ox is None:
            raise StoreError(f"{self!r} is closed.")
        return self._ox

    def __repr__(self) -> str:
        where = f" at {self.path}" if self.path is not None else ""
        mode = ", read-only" if self.read_only else ""
        state = ", closed" if self._ox is None else ""
        return f"<EmbeddedStore {self.kind}{where}{mode}{state}>"

    # -- reading -------------------------------------------------------------------

    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        store = self.oxigraph
        if graph is not None:
            yield from store.quads_for_pattern(None, None, None, graph)
            return
        for quad in store:
            if isinstance(quad.graph_name, ox.NamedNode) and not is_temporary_graph(quad.graph_name):
                yield quad

    def count(self, graph: ox.NamedNode | None = None) -> int:
        store = self.oxigraph
        if graph is not None:
            return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        total = len(store)
        for name in store.named_graphs():
            if isinstance(name, ox.NamedNode) and is_temporary_graph(name):
                total -= sum(1 for _ in store.quads_for_pattern(None, None, None, name))
        return total

    def named_graphs(self) -> list[ox.NamedNode]:
        return [
            g
            for g in self.oxigraph.named_graphs()
            if isinstance(g, ox.NamedNode) and not is_temporary_graph(g)
        ]

    def query(self, query: str) -> QueryResult:
        plan = order_plan(query)
        if plan is not None and query not in _SORTED_BY_OXIGRAPH:
            answer = self.oxigraph.query(plan.text, use_default_graph_as_union=True)
            if not isinstance(answer, ox.QuerySolutions):  # ASK, CONSTRUCT, DESCRIBE: no order to keep
                return oxigraph_result(answer)
            result = _sorted_result(answer, plan)
            if result is not None:
                return result
            if len(_SORTED_BY_OXIGRAPH) >= 512:
                _SORTED_BY_OXIGRAPH.clear()
            _SORTED_BY_OXIGRAPH.add(query)
        return oxigraph_result(self.oxigraph.query(query, use_default_graph_as_union=True))

    # -- writing -------------------------------------------------------------------

    def load(
        self,
        *,
        format: ox.RdfFormat,
        graph: ox.NamedNode,
        path: str | Path | None = None,
        data: str | bytes | None = None,
        lenient: bool = False,
    ) -> None:
        self._check_writable()
        # Store.load is one transaction: a syntax error, or a killed process, adds nothing.
        if path is not None:
            self.oxigraph.load(path=str(path), format=format, to_graph=graph, lenient=lenient)
        else:
            self.oxigraph.load(input=data, format=format, to_graph=graph, lenient=lenient)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        self._check_writable()
        self.oxigraph.extend(quads)

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self._check_writable()
        store = self.oxigraph
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
    
    def update(self, update: str) -> None:
        self._check_writable()
        self.oxigraph.update(update)

    def close(self) -> None:
        if self._ox is not None and self.kind == "disk" and not self.read_only:
            self._ox.flush()
        # Dropping the last reference closes RocksDB and releases the folder's lock.
        self._ox = None

    # -- helpers -------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; open it with read_only=False to change it.")

    def _drop_temporary_graphs(self) -> None:
        """Remove what a push killed before its final swap left behind."""
        store = self.oxigraph
        for name in list(store.named_graphs()):
            if isinstance(name, ox.NamedNode) and is_temporary_graph(name):
                store.remove_graph(name)


def _open_read_only(path: Path, attempts: int = 20) -> ox.Store:
    """Open an on-disk store read-only, retrying while a writing process swaps its files.

    RocksDB may list a table file in its manifest that the writer's flush or compaction deletes
    before this process opens it ("Corruption: ... No such file or directory"); a second look
    finds the new manifest. Found by tests/test_concurrent_load.py (every run, with one writer).
    """
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if attempt == attempts - 1 or "no such file" not in str(exc).lower():
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def oxigraph_result(answer: object) -> QueryResult:
    """Convert a pyoxigraph query answer into a :class:`QueryResult` of rdflib terms.

    The first rows of a SELECT answer are converted at once; the rest, if any, is read whole as
    Oxigraph's SPARQL TSV text (written in Rust, no Python object per term) and converted to
    rdflib terms when first read (:meth:`QueryResult.deferred`), each distinct term once
    (:func:`tsv_rows`). On a large answer, a Python object per term costs about as much as the
    query itself; on a small one, writing the text costs more than the few terms.
    """
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        first, complete = _first_rows(answer, variables)
        if complete:
            return QueryResult(variables=variables, rows=tuple(first))
        data = _rest_tsv(answer)
        count = len(first) + data.count(b"\n") - 1
        return QueryResult.deferred(variables, count, partial(_joined_rows, tuple(first), variables, data))
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True, replace=True)
        for triple in answer:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return QueryResult(graph=graph)
    raise QueryError(f"Unexpected query answer of type {type(answer).__name__}.")


def _first_rows(answer: ox.QuerySolutions, variables: tuple[str, ...]) -> tuple[list[dict[str, object]], bool]:
    """Up to :data:`_FIRST_ROWS` rows of ``answer`` converted, and whether that was all of it."""
    first: list[dict[str, object]] = []
    converted: dict[object, object] = {}
    for solution in answer:
        row = {}
        for name, value in zip(variables, solution):
            if value is not None:
                term = converted.get(value)
                if term is None:
                    term = converted[value] = to_rdflib(value)
                row[name] = term
        first.append(row)
        if len(first) == _FIRST_ROWS:
            return first, False
    return first, True


def _rest_tsv(answer: ox.QuerySolutions) -> bytes:
    """The rows of ``answer`` not read yet, as Oxigraph's TSV text (a header line first)."""
    data = answer.serialize(format=ox.QueryResultsFormat.TSV)
    if b"\t<<" in data or b"\n<<" in data:  # only a triple term starts a field with "<<"
        raise TypeError("Cannot convert an RDF 1.2 triple term to an rdflib term; expected an IRI, blank node or literal.")
    return data


#: Query texts whose answers had an ORDER BY key that :mod:`.ordering` does not sort.
_SORTED_BY_OXIGRAPH: set[str] = set()


def _sorted_result(answer: ox.QuerySolutions, plan: OrderPlan) -> QueryResult | None:
    """The answer of a query run without its ORDER BY, sorted by ``plan``'s keys in Python;
    None if a key is not projected or has a value Python does not sort as SPARQL does.

    As in :func:`oxigraph_result`, the first rows are converted at once and the rest is read as
    TSV and converted when first read; the sort keys of both are compared together.
    """
    variables = tuple([v.value for v in answer.variables])
    try:
        columns = tuple((variables.index(name), descending) for name, descending in plan.keys)
    except ValueError:  # ordered by a variable that is not projected
        return None
    first, complete = _first_rows(answer, variables)
    if complete and len(first) < 2:  # nothing to sort (most answers of sub-millisecond questions)
        return QueryResult(variables=variables, rows=tuple(first))
    descending = tuple(flag for _, flag in columns)
    try:
        keys = [[term_key(row.get(variables[index])) for row in first] for index, _ in columns]
        if complete:
            return QueryResult(variables=variables, rows=tuple(first[i] for i in sort_order(keys, descending)))
        rest = tsv_table(_rest_tsv(answer))[1]
        for column_keys, (index, _) in zip(keys, columns):
            column_keys += column_keys_of([fields[index] for fields in rest])
    except Unsortable:
        return None
    order = sort_order(keys, descending)
    return QueryResult.deferred(variables, len(order), partial(_ordered_rows, variables, first, rest, order))


def _ordered_rows(
    variables: tuple[str, ...], first: list[dict[str, object]], rest: list[list[str]], order: list[int]
) -> tuple[dict[str, object], ...]:
    rows = first + list(_fields_rows(variables, rest))
    return tuple(rows[i] for i in order)


#: Rows converted straight from pyoxigraph terms before the rest of an answer is read as TSV.
_FIRST_ROWS = 32


def _joined_rows(
    first: tuple[dict[str, object], ...], variables: tuple[str, ...], data: bytes
) -> tuple[dict[str, object], ...]:
    return first + tsv_rows(variables, data)


def tsv_rows(variables: tuple[str, ...], data: bytes) -> tuple[dict[str, object], ...]:
    """The rows of Oxigraph's SPARQL TSV answer ``data`` as dicts of rdflib terms (unbound: absent).

    >>> tsv_rows(("x", "y"), b'?x\\t?y\\n<urn:a>\\t"b"@en\\n\\t1\\n')
    ({'x': rdflib.term.URIRef('urn:a'), 'y': rdflib.term.Literal('b', lang='en')}, {'y': rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))})
    """
    return _fields_rows(variables, tsv_table(data)[1])


def _fields_rows(variables: tuple[str, ...], split: list[list[str]]) -> tuple[dict[str, object], ...]:
    """The rows of a TSV answer, each split at tabs, as dicts of rdflib terms (unbound: absent)."""
    if not variables:
        return tuple({} for _ in split)
    term = TsvTerms().__getitem__
    rows = []
    append = rows.append
    for fields in split:
        if "" in fields:
            append({name: term(f) for name, f in zip(variables, fields) if f})
        else:
            append(dict(zip(variables, map(term, fields))))
    return tuple(rows)
