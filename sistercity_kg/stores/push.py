"""Copy a knowledge graph's named graphs into another store, all of them or none.

The quads go first into temporary graphs of the target; once every one is there and its size
checked, one update swaps them in place of the target graphs. A push interrupted before the swap
(an error, a lost connection, a killed process) leaves every target graph as it was.

Examples
--------
>>> import sistercity_kg as sck
>>> source = sck.load()
>>> target = sck.KnowledgeGraph()
>>> source.push(target) == len(source)
True
>>> len(target) == len(source)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox
from rdflib import URIRef

from .base import Store
from .embedded import EmbeddedStore

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["push", "target_store"]


def target_store(target: KnowledgeGraph | Store | str) -> tuple[Store, bool]:
    """The store a push goes to, and whether the push opened it (and so must close it).

    A string is a SPARQL endpoint URL (``http://`` or ``https://``, credentials from the environment,
    see :func:`sistercity_kg.connect`) or the folder of an on-disk store.
    """
    from ..graph import KnowledgeGraph

    if isinstance(target, KnowledgeGraph):
        return target.store, False
    if isinstance(target, Store):
        return target, False
    if isinstance(target, str) and target.startswith(("http://", "https://")):
        from .remote import RemoteStore

        return RemoteStore(target), True
    return EmbeddedStore(str(target)), True


def push(
    source: KnowledgeGraph,
    target: KnowledgeGraph | Store | str,
    *,
    graphs: Iterable[str | URIRef] | None = None,
) -> int:
    """Replace the target's copies of the source's named graphs with the source's, atomically.

    Parameters
    ----------
    source : KnowledgeGraph
        Where the graphs come from.
    target : KnowledgeGraph, Store or str
        Where they go: a knowledge graph, a store, an endpoint URL or an on-disk store's folder.
    graphs : iterable of IRIs, optional
        Which graphs to copy; all of the source's by default. Other graphs of the target are left alone.

    Returns
    -------
    int
        The number of quads copied.

    Raises
    ------
    StoreError
        If the target cannot be reached or written; its graphs are then as they were.
    """
    names = [ox.NamedNode(str(g)) for g in (graphs if graphs is not None else source.graph_names())]
    payload = {name: list(source.store.quads(name)) for name in names}
    store, opened = target_store(target)
    try:
        store.replace_graphs(payload)
    finally:
        if opened:
            store.close()
    return sum(len({(q.subject, q.predicate, q.object) for q in quads}) for quads in payload.values())
