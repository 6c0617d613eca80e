"""Recording what an edit of a knowledge graph adds and removes, for incremental re-validation.

``with kg.edits() as edit:`` records every triple the library's own methods add to or remove from
the knowledge graph inside the block (``add``, ``remove``, ``load_file``, ``load_data``,
``clear_graph``, ``infer``, the importers…): for the block, the embedded store's
:class:`pyoxigraph.Store` is seen through a recorder that forwards everything and notes each write.
``kg.revalidate(report, edit=edit)`` then re-checks only what the edit can affect
(:mod:`sistercity_kg.shacl.incremental`).

What cannot be recorded makes the edit *incomplete* (``edit.complete`` is false, ``edit.reason``
says why) and the next re-validation a full one: a SPARQL update, a load from a pipe or an open file
object, clearing the whole store, any edit of a knowledge graph on a SPARQL server. Loads are parsed
twice inside the block (once to know what they add), which doubles their cost there.

Examples
--------
>>> import sistercity_kg as sck
>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import RDFS
>>> kg = sck.load()
>>> report = kg.validate()
>>> agreement = URIRef("https://w3id.org/sistercity-kg/id/agreement/bandung-seoul-loi-2007")
>>> with kg.edits() as edit:
...     kg.add([(agreement, RDFS.comment, Literal("Signed in Bandung."))], graph="https://example.org/notes")
1
>>> len(edit.added), edit.complete
(1, True)
>>> kg.revalidate(report, edit=edit) == kg.validate()
True
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from .terms import to_oxigraph

__all__ = ["Edit", "recording", "remove_triples"]


@dataclass
class Edit:
    """Triples added to and removed from a knowledge graph (as pyoxigraph ``(s, p, o)`` tuples).

    ``complete`` is false when some change could not be recorded; ``reason`` says which.
    A triple added and then removed in one edit is in both sets (both count as changed).
    """

    added: set = field(default_factory=set)
    removed: set = field(default_factory=set)
    complete: bool = True
    reason: str = ""

    def __len__(self) -> int:
        return len(self.added | self.removed)

    def unknown(self, why: str) -> None:
        """Mark the edit incomplete (the first reason is kept)."""
        if self.complete:
            self.complete, self.reason = False, why


def _triple(quad: ox.Quad) -> tuple[Any, Any, Any]:
    return (quad.subject, quad.predicate, quad.object)


class _Recorder:
    """A :class:`pyoxigraph.Store` stand-in that forwards every call and records the writes."""

    def __init__(self, inner: ox.Store, edit: Edit) -> None:
        self.inner = inner
        self.edit = edit

    def __getattr__(self, name: str) -> Any:  # reads and anything not written below
        return getattr(self.inner, name)

    def __len__(self) -> int:
        return len(self.inner)

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self.inner)

    def __contains__(self, quad: object) -> bool:
        return quad in self.inner

    # -- writes ---------------------------------------------------------------------

    def _note_added(self, quads: Iterable[ox.Quad]) -> None:
        self.edit.added.update(_triple(q) for q in quads if q not in self.inner)

    def add(self, quad: ox.Quad) -> None:
        self._note_added([quad])
        self.inner.add(quad)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)
        self._note_added(quads)
        self.inner.extend(quads)

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)
        self._note_added(quads)
        self.inner.bulk_extend(quads)

    def remove(self, quad: ox.Quad) -> None:
        if quad in self.inner:
            self.edit.removed.add(_triple(quad))
        self.inner.remove(quad)

    def _parsed(self, input: Any, path: Any, kwargs: dict[str, Any]) -> list[ox.Quad] | None:
        """What a load would add, read beforehand; ``None`` if it cannot be read twice."""
        if path is not None:
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):
                    return None  # a pipe or device: it can be read once only
            except OSError:
                return []  # the real load reports the missing file
        elif input is not None and not isinstance(input, (bytes, str)):
            return None  # a file object
        scratch = ox.Store()
        try:
            if path is not None:
                scratch.load(path=path, **kwargs)
            else:
                scratch.load(input=input, **kwargs)
        except (SyntaxError, OSError, ValueError, MemoryError):
            return []  # the real load fails the same way and adds nothing
        return list(scratch)

    def _load(self, method: str, input: Any, format: Any, path: Any, kwargs: dict[str, Any]) -> None:
        quads = self._parsed(input, path, {"format": format, **kwargs})
        new = None if quads is None else [_triple(q) for q in quads if q not in self.inner]
        getattr(self.inner, method)(input=input, format=format, path=path, **kwargs)
        if new is None:
            self.edit.unknown("a load from a pipe or a file object")
        else:  # recorded once the load has succeeded
            self.edit.added.update(new)

    def load(self, input: Any = None, format: Any = None, *, path: Any = None, **kwargs: Any) -> None:
        self._load("load", input, format, path, kwargs)

    def bulk_load(self, input: Any = None, format: Any = None, *, path: Any = None, **kwargs: Any) -> None:
        self._load("bulk_load", input, format, path, kwargs)

    def update(self, update: str, **kwargs: Any) -> None:
        self.edit.unknown("a SPARQL update")
        self.inner.update(update, **kwargs)

    def clear(self) -> None:
        self.edit.unknown("the whole store was cleared")
        self.inner.clear()

    def clear_graph(self, graph: Any) -> None:
        self.edit.removed.update(_triple(q) for q in self.inner.quads_for_pattern(None, None, None, graph))
        self.inner.clear_graph(graph)

    def remove_graph(self, graph: Any) -> None:
        self.edit.removed.update(_triple(q) for q in self.inner.quads_for_pattern(None, None, None, graph))
        self.inner.remove_graph(graph)


@contextlib.contextmanager
def recording(kg: Any) -> Iterator[Edit]:
    """Record what the knowledge graph's own methods change inside the ``with`` block."""
    edit = Edit()
    store = kg.store
    inner = getattr(store, "_ox", None)
    if not isinstance(inner, ox.Store):
        edit.unknown("the knowledge graph is not in an embedded store")
        yield edit
        return
    recorder = _Recorder(inner, edit)
    store._ox = recorder  # every write of the store goes through .oxigraph, hence the recorder
    try:
        yield edit
    finally:
        store._ox = inner


def remove_triples(kg: Any, triples: Iterable[tuple[Node, Node, Node]], *, graph: str) -> int:
    """Remove rdflib triples from one named graph; returns how many were there."""
    name = ox.NamedNode(str(graph))
    quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in triples]
    oxigraph = getattr(kg.store, "oxigraph", None)
    if oxigraph is None:  # a SPARQL server: one DELETE DATA
        from .shacl.terms import sparql_term
        from .terms import to_rdflib

        body = " ".join(" ".join(sparql_term(to_rdflib(t)) for t in (q.subject, q.predicate, q.object)) + " ."
                        for q in quads)
        before = len(kg.store)
        kg.store.update(f"DELETE DATA {{ GRAPH <{graph}> {{ {body} }} }}")
        return before - len(kg.store)
    removed = 0
    for quad in quads:
        if quad in oxigraph:
            oxigraph.remove(quad)
            removed += 1
    return removed
