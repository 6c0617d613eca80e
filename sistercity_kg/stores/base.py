"""The :class:`Store` interface: the few operations a :class:`~sistercity_kg.KnowledgeGraph` needs.

A store holds quads in named graphs. Two kinds implement it: :class:`~sistercity_kg.stores.embedded.EmbeddedStore`
(pyoxigraph, in memory or on disk) and :class:`~sistercity_kg.stores.remote.RemoteStore` (any SPARQL 1.1
server). Terms cross this interface as pyoxigraph terms (``ox.Quad``, ``ox.NamedNode``...), which parse and
serialise fast; query answers come back as :class:`~sistercity_kg.results.QueryResult` (rdflib terms).

Every write is atomic: a load, an ``extend`` or a :meth:`Store.replace_graphs` either happens whole or
leaves the store as it was.

Examples
--------
>>> import pyoxigraph as ox
>>> from sistercity_kg.stores import EmbeddedStore
>>> g = ox.NamedNode("https://w3id.org/sistercity-kg/graph/example")
>>> with EmbeddedStore() as store:
...     store.load(data=b"<urn:a> <urn:b> <urn:c> .", format=ox.RdfFormat.N_TRIPLES, graph=g)
...     store.replace_graphs({g: [ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.Literal("z"), g)]})
...     [str(q.object) for q in store.quads(g)]
['"z"']
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import pyoxigraph as ox

from ..results import QueryResult

__all__ = ["Store", "TMP_GRAPH_PREFIX", "is_temporary_graph"]

#: Graphs that hold data on its way in (a load or push in progress). They are outside the
#: ``sckg:`` namespace, so a remote knowledge graph never counts them as its own, and listings skip them.
TMP_GRAPH_PREFIX = "https://w3id.org/sistercity-kg/.well-known/tmp/"


def is_temporary_graph(graph: ox.NamedNode | str) -> bool:
    """Whether a graph name is one of the temporary graphs of an unfinished load or push.

    >>> is_temporary_graph(TMP_GRAPH_PREFIX + "abc/0")
    True
    """
    value = graph.value if isinstance(graph, ox.NamedNode) else str(graph)
    return value.startswith(TMP_GRAPH_PREFIX)


class Store(ABC):
    """Quads in named graphs, queried with SPARQL; the storage behind a KnowledgeGraph.

    Subclasses implement the abstract methods; :meth:`replace_graphs` and the context-manager
    protocol are built on them.
    """

    #: A short name of the kind of store ("memory", "disk", "remote").
    kind: str = "store"
    #: Whether writes are refused.
    read_only: bool = False

    # -- reading -------------------------------------------------------------------

    @abstractmethod
    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        """Every quad in the store's named graphs, or in one graph."""

    @abstractmethod
    def count(self, graph: ox.NamedNode | None = None) -> int:
        """The number of quads in the store's named graphs, or in one graph."""

    def __len__(self) -> int:
        return self.count()

    @abstractmethod
    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs that hold at least one quad (temporary graphs excluded)."""

    @abstractmethod
    def query(self, query: str) -> QueryResult:
        """Run a SPARQL query whose default graph is the union of the named graphs.

        Raises
        ------
        SyntaxError, ValueError, OSError, RuntimeError
            From an embedded engine (the KnowledgeGraph turns them into ``QueryError``).
        QueryError, StoreError
            From a remote one, naming the endpoint.
        """

    # -- writing -------------------------------------------------------------------

    @abstractmethod
    def load(
        self,
        *,
        format: ox.RdfFormat,
        graph: ox.NamedNode,
        path: str | Path | None = None,
        data: str | bytes | None = None,
        lenient: bool = False,
    ) -> None:
        """Parse a file or content and add it to ``graph`` in one transaction.

        Quads of a dataset format (TriG, N-Quads) keep their own graphs. ``lenient=True`` skips
        Oxigraph's IRI and language-tag checks: only for text the library wrote from terms it
        had already checked (the importers' N-Triples), never for a user's file.

        Raises
        ------
        SyntaxError
            If the content is not valid in its syntax (nothing is added).
        """

    @abstractmethod
    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads (each in a named graph) in one transaction."""

    @abstractmethod
    def drop_graph(self, graph: ox.NamedNode) -> None:
        """Remove a named graph and its quads; nothing happens if there is no such graph."""

    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update request (one transaction where the store allows it)."""

    def replace_graphs(self, graphs: Mapping[ox.NamedNode, Iterable[ox.Quad]]) -> None:
        """Make each named graph hold exactly the given quads, all graphs at once or none.

        The quads are first loaded into temporary graphs; one update then swaps them in
        (``DROP SILENT GRAPH`` + ``MOVE``). If anything fails before the swap, the temporary
        graphs are dropped and every target graph is as it was.

        Parameters
        ----------
        graphs : mapping
            Target graph -> its quads (the quads' own graph names are ignored).
        """
        self._check_writable()
        token = secrets.token_hex(6)
        staged: list[tuple[ox.NamedNode, ox.NamedNode]] = []
        try:
            for number, (target, quads) in enumerate(graphs.items()):
                tmp = ox.NamedNode(f"{TMP_GRAPH_PREFIX}{token}/{number}")
                staged.append((tmp, target))
                triples = {(q.subject, q.predicate, q.object) for q in quads}
                self._stage(tmp, (ox.Quad(s, p, o, tmp) for s, p, o in triples))
                # Verify before swapping: a server that silently dropped quads must not win.
                landed = self.count(tmp)
                if landed != len(triples):
                    from ..errors import StoreError

                    raise StoreError(
                        f"{self!r}: {landed} of {len(triples)} quads of <{target.value}> arrived; "
                        "nothing was changed."
                    )
            ops = []
            for tmp, target in staged:
                # MOVE of an empty (hence absent) source fails on some servers: drop, then move if any.
                ops.append(f"DROP SILENT GRAPH <{target.value}>")
                ops.append(f"MOVE SILENT GRAPH <{tmp.value}> TO GRAPH <{target.value}>")
            if ops:
                self._swap(" ;\n".join(ops))
        except BaseException:
            for tmp, _ in staged:
                try:
                    self.drop_graph(tmp)
                except Exception:  # noqa: BLE001 - best effort; the original error matters
                    pass
            raise

    def _swap(self, update: str) -> None:
        """Run the one update that puts staged graphs in place (unscoped: it names its graphs)."""
        self.update(update)

    def _stage(self, tmp: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """Load quads (already in the temporary graph ``tmp``) into the store; may take several requests."""
        self.extend(quads)

    def _check_writable(self) -> None:
        if self.read_only:
            from ..errors import StoreError

            raise StoreError(f"{self!r} was opened read-only; open it without read_only=True to change it.")

    # -- lifetime ------------------------------------------------------------------

    def close(self) -> None:  # noqa: B027 - optional for subclasses
        """Release the store's resources; the store cannot be used afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
