"""Binding query parameters as RDF terms, never by formatting user text into SPARQL.

A parameter value becomes an RDF term first; the term is written in its canonical
N-Triples form (quotes, braces and newlines escaped by the RDF serialiser) inside a
``VALUES`` block at the top of the query's WHERE group. No text of the value can close a
string or a group, so a hostile value is matched as the literal it is.

Examples
--------
>>> from rdflib import Literal
>>> print(bind_parameters("SELECT ?x WHERE { ?x ?p ?name }", {"name": Literal('} ; DROP ALL ; {')}))
SELECT ?x WHERE { VALUES (?name) { ("} ; DROP ALL ; {") } ?x ?p ?name }
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping

from rdflib import BNode
from rdflib.term import Node

from .errors import ParameterError, QueryError
from .terms import to_oxigraph

__all__ = ["bind_parameters", "where_brace_offset", "undeclared_prefixes"]

_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def bind_parameters(query: str, bindings: Mapping[str, Node]) -> str:
    """Return ``query`` with ``bindings`` bound by a ``VALUES`` block of RDF terms.

    Raises
    ------
    ParameterError
        If a name is not a SPARQL variable name or a value is a blank node.
    QueryError
        If the query has no WHERE group to bind in.
    """
    if not bindings:
        return query
    try:
        # a named query is bound with the same defaults call after call: memoised on the terms
        # themselves (rdflib terms compare and hash by kind, text, language and datatype)
        return _bound(query, tuple(bindings.items()))
    except TypeError:  # an unhashable value: bound without the memo, failing as it should
        return _bind(query, bindings.items())


@lru_cache(maxsize=1024)
def _bound(query: str, items: tuple[tuple[str, Node], ...]) -> str:
    return _bind(query, items)


def _bind(query: str, items: Iterable[tuple[str, Node]]) -> str:
    names, terms = [], []
    for name, value in items:
        if not _VARIABLE_NAME.match(name):
            raise ParameterError(f"{name!r} is not a valid parameter name; expected letters, digits and '_'.")
        if isinstance(value, BNode):
            raise ParameterError(f"Parameter {name!r} cannot be a blank node; give an IRI or a literal.")
        try:
            terms.append(str(to_oxigraph(value)))
        except TypeError as exc:
            raise ParameterError(f"Parameter {name!r}: {exc}") from None
        names.append("?" + name)
    offset = where_brace_offset(query)
    values = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    return query[: offset + 1] + values + query[offset + 1 :]


@lru_cache(maxsize=256)  # a named query's text is scanned once, not at every call
def where_brace_offset(query: str) -> int:
    """Index of the ``{`` opening the query's WHERE group.

    Strings, IRIs and comments are skipped, so braces inside them do not count.

    Raises
    ------
    QueryError
        If no WHERE group is found.
    """
    i, n = 0, len(query)
    first_brace = -1
    after_where = False
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c == "<" and first_brace < 0:
            # before the first group '<' only opens an IRI
            end = query.find(">", i)
            i = n if end < 0 else end + 1
            continue
        if c in "\"'":
            i = _skip_string(query, i)
            continue
        if c == "{":
            if after_where:
                return i
            if first_brace < 0:
                first_brace = i
            i += 1
            continue
        if c in "Ww" and query[i : i + 5].upper() == "WHERE" and _is_keyword_boundary(query, i, 5):
            after_where = True
            i += 5
            continue
        i += 1
    if first_brace >= 0 and not after_where and not _has_template(query[:first_brace]):
        return first_brace
    raise QueryError("The query has no WHERE group to bind parameters in.")


def _has_template(prologue: str) -> bool:
    # CONSTRUCT's first group is its template, not its pattern
    return re.search(r"\bCONSTRUCT\b", prologue, flags=re.IGNORECASE) is not None


def _is_keyword_boundary(text: str, start: int, length: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[start + length] if start + length < len(text) else " "
    return not (before.isalnum() or before in "_?$:") and not (after.isalnum() or after in "_:")


def _skip_string(text: str, start: int) -> int:
    quote = text[start]
    if text[start : start + 3] == quote * 3:
        end = text.find(quote * 3, start + 3)
        return len(text) if end < 0 else end + 3
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote or text[i] == "\n":
            return i + 1
        i += 1
    return i


_PREFIXED_NAME = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w.\-]*)?:(?=[\w%(\\]|\s|$)")
_PREFIX_DECLARATION = re.compile(r"\bPREFIX\s+([A-Za-z][\w.\-]*)?:", flags=re.IGNORECASE)


def undeclared_prefixes(query: str, known: Iterable[str] = ()) -> list[str]:
    """Prefixes a query uses (outside strings, IRIs and comments) but neither declares nor ``known`` has.

    Used to explain a parser error that would otherwise say only what token it expected.

    >>> undeclared_prefixes('SELECT * { ?s zz:p "a:b" ; rdfs:label ?o }  # x:y', known=["rdfs"])
    ['zz']
    """
    code = _code_only(query)
    declared = {m.group(1) or "" for m in _PREFIX_DECLARATION.finditer(code)} | set(known)
    used: list[str] = []
    for match in _PREFIXED_NAME.finditer(code):
        prefix = match.group(1) or ""
        if prefix not in declared and prefix not in used and prefix != "_":
            used.append(prefix)
    return used


def _code_only(query: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length)."""
    out = list(query)
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        end = i + 1
        if c == "#":
            nl = query.find("\n", i)
            end = n if nl < 0 else nl
        elif c in "\"'":
            end = _skip_string(query, i)
        elif c == "<":
            close = query.find(">", i)
            # an IRI has no white space; otherwise '<' is the less-than operator
            if close > 0 and not any(ch.isspace() for ch in query[i:close]):
                end = close + 1
        if end > i + 1 or c == "#":
            out[i:end] = " " * (end - i)
        i = max(end, i + 1)
    return "".join(out)
