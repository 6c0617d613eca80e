"""Validation results from the compiled queries' solutions, in the library's report dataclasses.

The fields are those pySHACL's report gives (focus node, path, value, constraint component,
severity, source shape) and the messages are the shapes' ``sh:message`` literals in every language,
so a report from the fast engine equals pySHACL's (see ``tests/test_fast_shacl.py``).
"""

from __future__ import annotations

import re
from typing import Iterable

import pyoxigraph as ox
from rdflib.term import Node

from ..terms import to_rdflib
from ..validation import Severity, ValidationReport, ValidationResult, sort_results
from .compile import Check

__all__ = ["TermCache", "results_of", "make_report", "generic_message"]

_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


class TermCache(dict):
    """pyoxigraph terms converted to rdflib once (focus nodes repeat across components)."""

    def __missing__(self, term: object) -> Node:
        value = to_rdflib(term)  # type: ignore[arg-type]
        self[term] = value
        return value


def generic_message(check: Check, focus: Node, value: Node | None) -> str:
    """A message for a shape that declares none (pySHACL words these its own way)."""
    name = str(check.pattern.component).rsplit("#", 1)[-1].replace("ConstraintComponent", "")
    where = f"{focus}" if check.path is None else f"{focus} -> {check.path}"
    return f"{name} constraint not met on {where}" + ("" if value is None else f" (value {value})")


def _messages(check: Check, bound: dict[str, Node], focus: Node, value: Node | None) -> dict[str, str]:
    declared = list(check.pattern.messages) + list(check.messages)
    out: dict[str, str] = {}
    for msg in declared:
        text = str(msg)
        if check.pattern.select:  # SHACL-SPARQL: {$this}, {?value}… take the solution's values
            text = _PLACEHOLDER.sub(lambda m: str(bound.get(m.group(1), m.group(0))), text)
        out.setdefault(msg.language or "en", text)
    if not out:
        out["en"] = generic_message(check, focus, value)
    return out


def results_of(check: Check, solutions: ox.QuerySolutions, cache: TermCache) -> Iterable[ValidationResult]:
    """The validation results of one check's solutions."""
    pattern = check.pattern
    severity = Severity.from_iri(check.severity)
    names = [v.value for v in solutions.variables]
    node_shape = check.path is None
    for solution in solutions:
        raw = {name: solution[name] for name in names}
        focus_raw = raw.get("this")
        if focus_raw is None:
            continue
        focus = cache[focus_raw]
        value: Node | None = None
        if pattern.value is not None:
            raw_value = raw.get(pattern.value.lstrip("?"))
            if raw_value is not None:
                value = cache[raw_value]
            elif pattern.select and node_shape:
                value = focus  # SHACL-SPARQL: a node shape's value is the focus node
        path: Node | None = check.path
        if pattern.path is not None and raw.get(pattern.path.lstrip("?")) is not None:
            path = cache[raw[pattern.path.lstrip("?")]]
        bound = {k: cache[v] for k, v in raw.items() if v is not None} if pattern.select else {}
        messages = _messages(check, bound, focus, value)
        yield ValidationResult(
            focus_node=focus,
            severity=severity,
            message=messages.get("en") or next(iter(messages.values())),
            messages=messages,
            source_shape=check.shape,
            path=path,
            value=value,
            constraint=pattern.component,
        )


def make_report(results: Iterable[ValidationResult], *, engine: str, notes: tuple[str, ...] = ()) -> ValidationReport:
    """A :class:`ValidationReport`, results in the library's order."""
    items = sort_results(results)
    conforms = not any(r.severity is Severity.VIOLATION for r in items)
    return ValidationReport(conforms=conforms, results=tuple(items), engine=engine, notes=notes)


