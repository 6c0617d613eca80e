"""``sistercity_kg.open`` (a knowledge graph on disk) and ``sistercity_kg.connect`` (one in a SPARQL server).

Examples
--------
>>> import tempfile, sistercity_kg as sck
>>> folder = tempfile.mkdtemp()
>>> with sck.open(folder) as kg:
...     kg.load_file(sck.resources.bundled_path("ontology/schemes.ttl")) > 0
True
>>> with sck.open(folder, read_only=True) as kg:
...     [str(g) for g in kg.graph_names()]
['https://w3id.org/sistercity-kg/graph/schemes']
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from rdflib import URIRef

from .embedded import EmbeddedStore

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

__all__ = ["open", "connect"]


def open(path: str | Path, *, read_only: bool = False, create: bool = True) -> KnowledgeGraph:  # noqa: A001
    """Open (or create) a knowledge graph stored on disk in a folder (pyoxigraph on RocksDB).

    Everything written survives closing and reopening; each load is one transaction. Only one
    process may have a folder open for writing; others may open it with ``read_only=True`` and see
    it as it was when they opened it.

    Parameters
    ----------
    path : str or Path
        The store's folder.
    read_only : bool
        Refuse writes; allows opening a store another process is writing.
    create : bool
        Create the folder when missing (otherwise a missing store is an error).

    Returns
    -------
    KnowledgeGraph
        Close it with :meth:`~KnowledgeGraph.close`, or use it in a ``with`` block.

    Raises
    ------
    StoreError
        If there is no store there (and ``create`` is false or ``read_only`` true), or another
        process holds it open for writing.
    """
    from ..graph import KnowledgeGraph

    return KnowledgeGraph(EmbeddedStore(path, read_only=read_only, create=create))


def connect(
    query_endpoint: str,
    *,
    update_endpoint: str | None = None,
    graph_store_endpoint: str | None = None,
    graph: str | URIRef | Iterable[str | URIRef] | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float = 30.0,
    max_rows: int | None = None,
) -> KnowledgeGraph:
    """A knowledge graph kept in a SPARQL 1.1 server.

    See :class:`~sistercity_kg.stores.remote.RemoteStore` for the parameters; every
    :class:`KnowledgeGraph` call works the same on it.
    """
    from ..graph import KnowledgeGraph
    from .remote import RemoteStore

    return KnowledgeGraph(
        RemoteStore(
            query_endpoint,
            update_endpoint=update_endpoint,
            graph_store_endpoint=graph_store_endpoint,
            graph=graph,
            auth=auth,
            timeout=timeout,
            max_rows=max_rows,
        )
    )
