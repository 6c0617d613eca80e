"""Query results as a dataclass: rows of rdflib terms, with CSV and JSON forms."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Iterator

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
    rows: tuple[dict[str, Node], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)

    def __len__(self) -> int:
        if self.graph is not None:
            return len(self.graph)
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
