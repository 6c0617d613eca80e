"""Query results as a dataclass: rows of rdflib terms, with CSV and JSON forms.

A store may hand over a SELECT answer whose rows are converted to rdflib terms only when first
read (:meth:`QueryResult.deferred`): the embedded store keeps Oxigraph's own compact text of the
answer, so ``len(result)`` and a result that is never read cost no conversion, and reading
``rows`` converts each distinct term once. Either way ``rows`` is the same tuple of dicts.

Examples
--------
>>> from rdflib import URIRef
>>> r = QueryResult(variables=("x",), rows=({"x": URIRef("urn:a")},))
>>> len(r), r.values("x")
(1, [rdflib.term.URIRef('urn:a')])
>>> later = QueryResult.deferred(("x",), 1, lambda: ({"x": URIRef("urn:a")},))
>>> len(later), later == r
(1, True)
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

__all__ = ["QueryResult"]


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SPARQL query.

    For SELECT: ``variables`` and ``rows`` (one dict per solution, variable name -> rdflib
    term; unbound variables are absent). For ASK: ``boolean``. For CONSTRUCT/DESCRIBE:
    ``graph``.
    """

    variables: tuple[str, ...] = ()
    # a factory, not a class-level default: a deferred result has no "rows" of its own until
    # read, and __getattr__ (only consulted when normal lookup fails) then converts them
    rows: tuple[dict[str, Node], ...] = field(default_factory=tuple)
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)

    @classmethod
    def deferred(
        cls, variables: tuple[str, ...], count: int, rows: Callable[[], tuple[dict[str, Node], ...]]
    ) -> QueryResult:
        """A SELECT answer of ``count`` rows that ``rows()`` converts when they are first read.

        ``rows()`` is called at most once (twice if two threads read at the same moment; it must
        give equal rows each time), then dropped. Copies and pickles hold the converted rows.
        """
        result = object.__new__(cls)
        object.__setattr__(result, "variables", tuple(variables))
        object.__setattr__(result, "boolean", None)
        object.__setattr__(result, "graph", None)
        object.__setattr__(result, "_pending", (count, rows))
        return result

    def __getattr__(self, name: str) -> Any:
        if name == "rows":
            pending = self.__dict__.get("_pending")
            if pending is not None:
                rows = tuple(pending[1]())
                # two threads may both convert; either tuple holds the same rows
                object.__setattr__(self, "rows", rows)
                object.__setattr__(self, "_pending", None)
                return rows
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        return {"variables": self.variables, "rows": self.rows, "boolean": self.boolean, "graph": self.graph}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)

    def __len__(self) -> int:
        if self.graph is not None:
            return len(self.graph)
        pending = self.__dict__.get("_pending")
        if pending is not None:
            return pending[0]
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Node]]:
        return iter(self.rows)

    def __bool__(self) -> bool:
        if self.boolean is not None:
            return self.boolean
        return len(self) > 0

    def values(self, variable: str) -> list[Node]:
        """All bound values of one variable, in row order."""
        return [row[variable] for row in self.rows if variable in row]

    def to_csv(self) -> str:
        """SELECT rows as CSV text (plain lexical forms, as SPARQL 1.1 CSV results)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if v not in row else str(row[v]) for v in self.variables])
        return out.getvalue()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean})
        bindings = [{k: _json_term(v) for k, v in row.items()} for row in self.rows]
        doc = {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=2)

    def to_dataframe(self) -> Any:
        """SELECT rows as a pandas DataFrame (terms as their lexical strings).

        Raises
        ------
        ImportError
            If pandas is not installed (it is an optional dependency).
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from exc
        return pd.DataFrame(
            [{v: (None if v not in row else str(row[v])) for v in self.variables} for row in self.rows],
            columns=list(self.variables),
        )


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"Cannot write {term!r} as a SPARQL JSON term.")
