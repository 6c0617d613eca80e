"""Where a knowledge graph lives: an embedded store (memory or disk) or a SPARQL 1.1 server.

Every :class:`~sistercity_kg.KnowledgeGraph` holds one :class:`Store`; the same library calls give
the same answers on each kind.

- :class:`EmbeddedStore`: pyoxigraph in memory (``sck.load()``) or on disk (``sck.open(path)``).
- :class:`RemoteStore`: any SPARQL 1.1 server (``sck.connect(url)``): Oxigraph server, Virtuoso,
  Fuseki, GraphDB...
"""

from __future__ import annotations

import pyoxigraph as ox

from .base import TMP_GRAPH_PREFIX, Store, is_temporary_graph
from .embedded import EmbeddedStore

__all__ = ["Store", "EmbeddedStore", "RemoteStore", "as_store", "TMP_GRAPH_PREFIX", "is_temporary_graph"]


def as_store(store: Store | ox.Store | None) -> Store:
    """A :class:`Store` for what a KnowledgeGraph was given: a new in-memory store for ``None``,
    an :class:`EmbeddedStore` around a bare :class:`pyoxigraph.Store`, or the store itself.

    >>> as_store(None).kind
    'memory'
    """
    if store is None:
        return EmbeddedStore()
    if isinstance(store, ox.Store):
        return EmbeddedStore(store=store)
    if isinstance(store, Store):
        return store
    raise TypeError(f"Expected a sistercity_kg Store or a pyoxigraph.Store, got {type(store).__name__}.")


def __getattr__(name: str) -> object:
    # The remote store is imported on first use: the embedded path needs none of urllib's machinery.
    if name == "RemoteStore":
        from .remote import RemoteStore

        return RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
