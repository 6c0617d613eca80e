"""Validation results from the compiled queries' solutions, in the library's report dataclasses.

The fields are those pySHACL's report gives (focus node, path, value, constraint component,
severity, source shape) and the messages are the shapes' ``sh:message`` literals in every language,
so a report from the fast engine equals pySHACL's (see ``tests/test_fast_shacl.py``).
"""

from __future__ import annotations

import re
from typing import Iterable

from rdflib.term import Node

from ..terms import TsvTerms
from ..validation import Severity, ValidationReport, ValidationResult, sort_results
from .compile import Check

__all__ = ["results_of", "make_report", "generic_message"]

_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


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


def results_of(check: Check, names: list[str], solutions: Iterable[list[str]], cache: TsvTerms) -> Iterable[ValidationResult]:
    """The validation results of one check's solutions (see :func:`~sistercity_kg.terms.tsv_table`)."""
    pattern = check.pattern
    severity = Severity.from_iri(check.severity)
    position = {name: i for i, name in enumerate(names)}
    this_at = position.get("this")
    if this_at is None:
        return
    value_at = None if pattern.value is None else position.get(pattern.value.lstrip("?"))
    path_at = None if pattern.path is None else position.get(pattern.path.lstrip("?"))
    focus_is_value = pattern.value is not None and pattern.select and check.path is None
    # Messages that depend on nothing in the solution are made once (the twin list: 25,903 results
    # of one check); each result still gets a dict of its own.
    fixed = None
    if not pattern.select and (pattern.messages or check.messages):
        fixed = _messages(check, {}, None, None)  # type: ignore[arg-type]
        fixed_message = fixed.get("en") or next(iter(fixed.values()))
    component, shape = pattern.component, check.shape
    for solution in solutions:
        focus_raw = solution[this_at]
        if not focus_raw:
            continue
        focus = cache[focus_raw]
        value: Node | None = None
        if value_at is not None:
            raw_value = solution[value_at]
            if raw_value:
                value = cache[raw_value]
        if value is None and focus_is_value:
            value = focus  # SHACL-SPARQL: a node shape's value is the focus node
        path: Node | None = check.path
        if path_at is not None:
            raw_path = solution[path_at]
            if raw_path:
                path = cache[raw_path]
        if fixed is not None:
            messages, message = dict(fixed), fixed_message
        else:
            bound = {}
            if pattern.select:
                bound = {k: cache[v] for k, v in zip(names, solution) if v}
            messages = _messages(check, bound, focus, value)
            message = messages.get("en") or next(iter(messages.values()))
        yield ValidationResult(
            focus_node=focus,
            severity=severity,
            message=message,
            messages=messages,
            source_shape=shape,
            path=path,
            value=value,
            constraint=component,
        )


def make_report(results: Iterable[ValidationResult], *, engine: str, notes: tuple[str, ...] = ()) -> ValidationReport:
    """A :class:`ValidationReport`, results in the library's order."""
    items = sort_results(results)
    conforms = not any(r.severity is Severity.VIOLATION for r in items)
    return ValidationReport(conforms=conforms, results=tuple(items), engine=engine, notes=notes)


