"""SHACL-SPARQL constraints and SPARQL-based targets: pre-binding ``$this`` and ``$PATH``.

A constraint's ``sh:select`` is run once for all focus nodes: ``$this`` becomes the variable the
targets bind (injected as the first pattern of the WHERE clause) and ``$PATH`` the SPARQL form of
the property shape's path. Queries using ``$currentShape`` or ``$shapesGraph`` (the shapes graph is
not in the store) are left to pySHACL.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from .paths import Unsupported

__all__ = ["collect_prefixes", "prepare_select", "prologue", "inject"]

_THIS = re.compile(r"[?$]this\b")
_PATH = re.compile(r"\$PATH\b")
_UNSUPPORTED = re.compile(r"[?$](currentShape|shapesGraph)\b|\bSERVICE\b|\bMINUS\b", re.IGNORECASE)


def collect_prefixes(graph: Graph, node: Node, prefixes: dict[str, str]) -> None:
    """Add the ``sh:declare`` entries reachable through ``sh:prefixes`` of ``node`` to ``prefixes``.

    Raises
    ------
    Unsupported
        If one prefix is declared with two namespaces (the queries share one prologue).
    """
    for owner in graph.objects(node, SH.prefixes):
        seen = {owner}
        queue = [owner]
        while queue:  # owl:imports of the prefix owner count too (SHACL §5.2.1)
            current = queue.pop()
            for decl in graph.objects(current, SH.declare):
                prefix, namespace = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
                if prefix is None or namespace is None:
                    raise Unsupported(f"an incomplete sh:declare on {current}")
                known = prefixes.setdefault(str(prefix), str(namespace))
                if known != str(namespace):
                    raise Unsupported(f"prefix {prefix}: declared as {known} and {namespace}")
            for imported in graph.objects(current, OWL.imports):
                if imported not in seen:
                    seen.add(imported)
                    queue.append(imported)


def prepare_select(text: str, *, this: str, path: str | None) -> str:
    """The query with ``$this`` renamed to ``this`` and ``$PATH`` replaced by ``path``.

    Raises
    ------
    Unsupported
        If the query uses a feature that cannot be pre-bound this way.
    """
    if _UNSUPPORTED.search(text):
        raise Unsupported("a SPARQL query using $currentShape, $shapesGraph, SERVICE or MINUS")
    if re.search(r"^\s*(PREFIX|BASE)\b", text, re.IGNORECASE | re.MULTILINE):
        raise Unsupported("a SPARQL query with its own PREFIX/BASE declarations")
    if _PATH.search(text):
        if path is None:
            raise Unsupported("$PATH outside a property shape")
        text = _PATH.sub(lambda _: path, text)
    return _THIS.sub(lambda _: this, text)


def inject(select: str, pattern: str) -> str:
    """Insert ``pattern`` as the first element of the WHERE group of a SELECT query."""
    brace = select.find("{")
    if brace < 0:
        raise Unsupported("a SPARQL query without a WHERE group")
    return select[: brace + 1] + " " + pattern + " " + select[brace + 1 :]


def prologue(prefixes: dict[str, str]) -> str:
    """``PREFIX`` lines for the collected prefixes."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def messages_of(graph: Graph, node: Node) -> list[Literal]:
    """The ``sh:message`` literals of a node, sorted for a stable order."""
    return sorted((m for m in graph.objects(node, SH.message) if isinstance(m, Literal)), key=str)
