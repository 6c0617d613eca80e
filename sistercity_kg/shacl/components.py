"""SHACL Core constraint components compiled to SPARQL patterns (one per component and shape).

Each compiler gets a :class:`Context` (the shape, its focus variable, its value nodes) and returns
:class:`Pattern` objects: flat SPARQL group patterns that yield one solution per validation result,
with the focus variable already bound (by the targets at the top level, by substitution inside
``EXISTS`` when the shape is nested under ``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` or
``sh:qualifiedValueShape``). Conformance of a value to another shape is ``NOT EXISTS`` of that
shape's violation pattern, so nested shapes cost one correlated sub-pattern, not a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from .paths import Unsupported, iri
from .terms import sparql_string, sparql_term

if TYPE_CHECKING:  # pragma: no cover
    from .compile import Compiler

__all__ = ["Context", "Pattern", "COMPONENTS", "compile_components", "PARAMETERS"]

#: Datatypes whose well-formedness Oxigraph can test with a cast (an ill-formed literal fails it).
CASTABLE = {
    XSD[name]
    for name in (
        "integer decimal float double boolean date dateTime time duration yearMonthDuration "
        "dayTimeDuration gYear gYearMonth gMonth gDay gMonthDay"
    ).split()
}

#: XSD types derived from xsd:integer, with their (inclusive) bounds.
INTEGER_RANGES: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-128, 127),
    XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1),
    XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 255),
}


@dataclass
class Pattern:
    """One SPARQL pattern of a component: solutions are validation results.

    ``value`` and ``path`` name the variables holding ``sh:value`` and ``sh:resultPath`` (``None``:
    no value; the shape's own path). ``component`` is the constraint component IRI and
    ``constraint`` the ``sh:sourceConstraint`` (SPARQL constraints). ``select`` is a complete
    SELECT (SPARQL constraints) rather than a group pattern. ``key`` is a further variable that
    tells two results with the same focus node and value apart (the language of ``sh:uniqueLang``).
    """

    component: URIRef
    text: str
    value: str | None = None
    path: str | None = None
    constraint: Node | None = None
    select: bool = False
    messages: list[Literal] = field(default_factory=list)
    key: str | None = None  # a further variable that tells results apart (not reported)
    #: Predicates (SPARQL IRIs) of which the data must hold a triple for the pattern to have a
    #: solution: every solution matches ``focus predicate value`` (or its inverse) for each.
    requires: tuple[str, ...] = ()


@dataclass
class Context:
    """A shape being compiled for one focus variable."""

    compiler: Compiler
    graph: Graph
    shape: Node
    focus: str
    path: str | None  # SPARQL property path, None for a node shape
    path_node: Node | None

    @property
    def is_property(self) -> bool:
        return self.path is not None

    @property
    def needs(self) -> tuple[str, ...]:
        """The predicate every value node is reached by: a property shape whose path is an IRI or its inverse."""
        node = self.path_node
        if isinstance(node, BNode):
            node = self.graph.value(node, SH.inversePath)
            if len(set(self.graph.predicate_objects(self.path_node))) != 1:
                return ()
        return (iri(node),) if isinstance(node, URIRef) else ()

    def values(self) -> tuple[str, str]:
        """(pattern binding the value variable, value variable) for value-based components."""
        if self.path is None:
            return "", self.focus
        v = self.compiler.var("v")
        return f"{self.focus} {self.path} {v} .", v

    def value_based(self, component: URIRef, condition: Callable[[str], str]) -> Pattern:
        triple, v = self.values()
        return Pattern(component, f"{triple} FILTER ({condition(v)})", value=v, requires=self.needs)

    def counted(self, component: URIRef, having: str, *, exists: bool, extra: Callable[[str], str] | None = None) -> Pattern:
        """A count of value nodes compared in ``HAVING`` (the focus node is correlated in EXISTS)."""
        if self.path is None:
            raise Unsupported(f"{component.fragment} on a node shape")
        x = self.compiler.var("c")
        where = f"{self.focus} {self.path} {x} ."
        if extra is not None:
            where += f" FILTER ({extra(x)})"
        keyword = "EXISTS" if exists else "NOT EXISTS"
        sub = f"SELECT {self.focus} WHERE {{ {where} }} GROUP BY {self.focus} HAVING ({having.format(x=x)})"
        # EXISTS of a group needs a value node; NOT EXISTS holds without any
        return Pattern(component, f"FILTER {keyword} {{ {sub} }}", requires=self.needs if exists else ())

    def conforms(self, shape: Node, var: str) -> str:
        """A SPARQL expression: ``var`` conforms to ``shape``."""
        return f"NOT EXISTS {{ {self.compiler.violation_pattern(shape, var)} }}"


def _list(graph: Graph, node: Node) -> list[Node]:
    if node != RDF.nil and graph.value(node, RDF.first) is None:
        raise Unsupported(f"a list parameter that is not an RDF list ({node})")
    return list(Collection(graph, node))


def _predicate(node: Node) -> tuple[str, ...]:
    """The requirement "a triple with this predicate exists" (none for a malformed, non-IRI parameter)."""
    return (iri(node),) if isinstance(node, URIRef) else ()


def _int(node: Node) -> int:
    if not isinstance(node, Literal) or not isinstance(node.toPython(), int):
        raise Unsupported(f"a count that is not an integer ({node!r})")
    return int(node.toPython())


# -- value type ----------------------------------------------------------------------


def _class(ctx: Context, value: Node) -> list[Pattern]:
    return [ctx.value_based(SH.ClassConstraintComponent, lambda v: f"NOT EXISTS {{ {ctx.compiler.isa(v, value)} }}")]


def _datatype(ctx: Context, value: Node) -> list[Pattern]:
    dt = iri(value)

    def condition(v: str) -> str:
        ok = f"isLiteral({v}) && datatype({v}) = {dt}"
        if value in CASTABLE:  # an ill-formed literal of the datatype is not a value of it
            ok += f" && COALESCE(isLiteral({dt}(STR({v}))), false)"
        elif value in INTEGER_RANGES:  # derived integer types: an integer within the type's range
            low, high = INTEGER_RANGES[value]
            n = f"{iri(XSD.integer)}(STR({v}))"
            test = " && ".join([f"isLiteral({n})"] + ([f"{n} >= {low}"] if low is not None else [])
                               + ([f"{n} <= {high}"] if high is not None else []))
            ok += f" && COALESCE({test}, false)"
        return f"!({ok})"

    return [ctx.value_based(SH.DatatypeConstraintComponent, condition)]


_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


def _node_kind(ctx: Context, value: Node) -> list[Pattern]:
    if value not in _NODE_KINDS:
        raise Unsupported(f"sh:nodeKind {value}")
    test = _NODE_KINDS[value]
    return [ctx.value_based(SH.NodeKindConstraintComponent, lambda v: "!" + test.format(v=v))]


# -- cardinality -----------------------------------------------------------------------


def _min_count(ctx: Context, value: Node) -> list[Pattern]:
    n = _int(value)
    if ctx.path is None:
        raise Unsupported("sh:minCount on a node shape")
    if n <= 0:
        return []
    if n == 1:
        x = ctx.compiler.var("c")
        return [Pattern(SH.MinCountConstraintComponent, f"FILTER NOT EXISTS {{ {ctx.focus} {ctx.path} {x} }}")]
    return [ctx.counted(SH.MinCountConstraintComponent, f"COUNT(DISTINCT {{x}}) >= {n}", exists=False)]


def _max_count(ctx: Context, value: Node) -> list[Pattern]:
    n = _int(value)
    return [ctx.counted(SH.MaxCountConstraintComponent, f"COUNT(DISTINCT {{x}}) > {n}", exists=True)]


# -- value range -----------------------------------------------------------------------


def _range(component: URIRef, op: str) -> Callable[[Context, Node], list[Pattern]]:
    def compile_range(ctx: Context, value: Node) -> list[Pattern]:
        if not isinstance(value, Literal):
            raise Unsupported(f"{component.fragment} with a non-literal bound")
        bound = sparql_term(value)
        # A value that cannot be compared with the bound fails (SHACL §4.3): COALESCE turns the error into false.
        return [ctx.value_based(component, lambda v: f"!COALESCE({v} {op} {bound}, false)")]

    return compile_range


# -- string-based ----------------------------------------------------------------------


def _min_length(ctx: Context, value: Node) -> list[Pattern]:
    n = _int(value)
    return [ctx.value_based(SH.MinLengthConstraintComponent, lambda v: f"isBlank({v}) || STRLEN(STR({v})) < {n}")]


def _max_length(ctx: Context, value: Node) -> list[Pattern]:
    n = _int(value)
    return [ctx.value_based(SH.MaxLengthConstraintComponent, lambda v: f"isBlank({v}) || STRLEN(STR({v})) > {n}")]


def _pattern(ctx: Context, value: Node) -> list[Pattern]:
    flags = list(ctx.graph.objects(ctx.shape, SH.flags))
    if len(flags) > 1:
        raise Unsupported("several sh:flags")
    regex = sparql_string(str(value))
    if flags:
        regex += ", " + sparql_string(str(flags[0]))
    return [ctx.value_based(SH.PatternConstraintComponent, lambda v: f"isBlank({v}) || !COALESCE(REGEX(STR({v}), {regex}), false)")]


def _language_in(ctx: Context, value: Node) -> list[Pattern]:
    tags = _list(ctx.graph, value)
    if not all(isinstance(t, Literal) for t in tags):
        raise Unsupported("sh:languageIn with a non-literal member")

    def condition(v: str) -> str:
        tests = " || ".join(f"langMatches(lang({v}), {sparql_string(str(t))})" for t in tags) or "false"
        return f"!COALESCE(isLiteral({v}) && ({tests}), false)"

    return [ctx.value_based(SH.LanguageInConstraintComponent, condition)]


def _unique_lang(ctx: Context, value: Node) -> list[Pattern]:
    if not (isinstance(value, Literal) and value.toPython() is True):
        if isinstance(value, Literal) and value.toPython() is False:
            return []
        raise Unsupported(f"sh:uniqueLang {value!r}")
    if ctx.path is None:
        raise Unsupported("sh:uniqueLang on a node shape")
    c = ctx.compiler
    a, b, lang = c.var("u"), c.var("u"), c.var("lang")
    text = (
        f"{ctx.focus} {ctx.path} {a} . {ctx.focus} {ctx.path} {b} . "
        f"FILTER (!sameTerm({a}, {b}) && lang({a}) != \"\" && lang({a}) = lang({b})) BIND (lang({a}) AS {lang})"
    )
    # one result per focus node and duplicated language: the query projects the language too
    return [Pattern(SH.UniqueLangConstraintComponent, text, key=lang, requires=ctx.needs)]


# -- property pairs -------------------------------------------------------------------


def _equals(ctx: Context, value: Node) -> list[Pattern]:
    other = sparql_term(value)
    f = ctx.focus
    if ctx.path is None:
        v = ctx.compiler.var("v")
        return [
            Pattern(SH.EqualsConstraintComponent, f"{f} {other} {v} . FILTER (!sameTerm({v}, {f}))", value=v,
                    requires=_predicate(value)),
            Pattern(SH.EqualsConstraintComponent, f"FILTER NOT EXISTS {{ {f} {other} {f} }}", value=f),
        ]
    v, w = ctx.compiler.var("v"), ctx.compiler.var("v")
    return [
        Pattern(SH.EqualsConstraintComponent, f"{f} {ctx.path} {v} . FILTER NOT EXISTS {{ {f} {other} {v} }}", value=v,
                requires=ctx.needs),
        Pattern(SH.EqualsConstraintComponent, f"{f} {other} {w} . FILTER NOT EXISTS {{ {f} {ctx.path} {w} }}", value=w,
                requires=_predicate(value)),
    ]


def _disjoint(ctx: Context, value: Node) -> list[Pattern]:
    other = sparql_term(value)
    triple, v = ctx.values()
    return [Pattern(SH.DisjointConstraintComponent, f"{triple} {ctx.focus} {other} {v} .", value=v,
                    requires=ctx.needs + _predicate(value))]


def _less(component: URIRef, op: str) -> Callable[[Context, Node], list[Pattern]]:
    def compile_less(ctx: Context, value: Node) -> list[Pattern]:
        if ctx.path is None:
            raise Unsupported(f"{component.fragment} on a node shape")
        triple, v = ctx.values()
        o = ctx.compiler.var("o")
        text = f"{triple} {ctx.focus} {sparql_term(value)} {o} . FILTER (!COALESCE({v} {op} {o}, false))"
        return [Pattern(component, text, value=v, key=o, requires=ctx.needs + _predicate(value))]

    return compile_less


# -- logical and shape-based --------------------------------------------------------------


def _not(ctx: Context, value: Node) -> list[Pattern]:
    return [ctx.value_based(SH.NotConstraintComponent, lambda v: ctx.conforms(value, v))]


def _and(ctx: Context, value: Node) -> list[Pattern]:
    members = _list(ctx.graph, value)
    return [ctx.value_based(SH.AndConstraintComponent,
                            lambda v: " || ".join(f"!({ctx.conforms(m, v)})" for m in members) or "false")]


def _or(ctx: Context, value: Node) -> list[Pattern]:
    members = _list(ctx.graph, value)
    return [ctx.value_based(SH.OrConstraintComponent,
                            lambda v: " && ".join(f"!({ctx.conforms(m, v)})" for m in members) or "true")]


def _xone(ctx: Context, value: Node) -> list[Pattern]:
    members = _list(ctx.graph, value)
    return [ctx.value_based(SH.XoneConstraintComponent,
                            lambda v: "(" + " + ".join(f"IF({ctx.conforms(m, v)}, 1, 0)" for m in members) + ") != 1"
                            if members else "true")]


def _node(ctx: Context, value: Node) -> list[Pattern]:
    return [ctx.value_based(SH.NodeConstraintComponent, lambda v: f"!({ctx.conforms(value, v)})")]


def _qualified(ctx: Context, value: Node) -> list[Pattern]:
    if ctx.path is None:
        raise Unsupported("sh:qualifiedValueShape on a node shape")
    g = ctx.graph
    minimum = [_int(n) for n in g.objects(ctx.shape, SH.qualifiedMinCount)]
    maximum = [_int(n) for n in g.objects(ctx.shape, SH.qualifiedMaxCount)]
    disjoint = g.value(ctx.shape, SH.qualifiedValueShapesDisjoint)
    siblings: list[Node] = []
    if isinstance(disjoint, Literal) and disjoint.toPython() is True:
        for parent in g.subjects(SH.property, ctx.shape):
            for sibling_shape in g.objects(parent, SH.property):
                for q in g.objects(sibling_shape, SH.qualifiedValueShape):
                    if q != value and q not in siblings:
                        siblings.append(q)

    def qualifies(x: str) -> str:
        test = ctx.conforms(value, x)
        for s in siblings:
            test += f" && !({ctx.conforms(s, x)})"
        return test

    out: list[Pattern] = []
    for n in minimum:
        if n == 1:  # no qualifying value at all: one NOT EXISTS, not a group counted for every focus node
            x = ctx.compiler.var("c")
            out.append(Pattern(SH.QualifiedMinCountConstraintComponent,
                               f"FILTER NOT EXISTS {{ {ctx.focus} {ctx.path} {x} . FILTER ({qualifies(x)}) }}"))
        elif n > 1:
            out.append(ctx.counted(SH.QualifiedMinCountConstraintComponent, f"COUNT(DISTINCT {{x}}) >= {n}",
                                   exists=False, extra=qualifies))
    for n in maximum:
        out.append(ctx.counted(SH.QualifiedMaxCountConstraintComponent, f"COUNT(DISTINCT {{x}}) > {n}",
                               exists=True, extra=qualifies))
    if not minimum and not maximum:
        raise Unsupported("sh:qualifiedValueShape without sh:qualifiedMinCount or sh:qualifiedMaxCount")
    return out


# -- other ----------------------------------------------------------------------------


def _closed(ctx: Context, value: Node) -> list[Pattern]:
    if not (isinstance(value, Literal) and value.toPython() is True):
        return []
    if ctx.path is not None:
        raise Unsupported("sh:closed on a property shape")
    allowed: set[Node] = set()
    for prop in ctx.graph.objects(ctx.shape, SH.property):
        p = ctx.graph.value(prop, SH.path)
        if isinstance(p, URIRef):
            allowed.add(p)
    for ignored in ctx.graph.objects(ctx.shape, SH.ignoredProperties):
        allowed.update(_list(ctx.graph, ignored))
    p, v = ctx.compiler.var("p"), ctx.compiler.var("v")
    text = f"{ctx.focus} {p} {v} ."
    if allowed:
        text += f" FILTER ({p} NOT IN ({', '.join(sparql_term(a) for a in sorted(allowed, key=str))}))"
    return [Pattern(SH.ClosedConstraintComponent, text, value=v, path=p)]


def _has_value(ctx: Context, value: Node) -> list[Pattern]:
    term = sparql_term(value)
    if ctx.path is None:
        return [Pattern(SH.HasValueConstraintComponent, f"FILTER (!sameTerm({ctx.focus}, {term}))")]
    return [Pattern(SH.HasValueConstraintComponent, f"FILTER NOT EXISTS {{ {ctx.focus} {ctx.path} {term} }}")]


def _in(ctx: Context, value: Node) -> list[Pattern]:
    members = [sparql_term(m) for m in _list(ctx.graph, value)]
    return [ctx.value_based(SH.InConstraintComponent,
                            lambda v: "!(" + (" || ".join(f"sameTerm({v}, {m})" for m in members) or "false") + ")")]


def _sparql(ctx: Context, value: Node) -> list[Pattern]:
    from .sparql import collect_prefixes, messages_of, prepare_select

    g = ctx.graph
    deactivated = g.value(value, SH.deactivated)
    if isinstance(deactivated, Literal) and deactivated.toPython() is True:
        return []
    select = g.value(value, SH.select)
    if select is None:
        raise Unsupported(f"a SPARQL constraint without sh:select ({value})")
    collect_prefixes(g, value, ctx.compiler.prefixes)
    text = prepare_select(str(select), this=ctx.focus, path=ctx.path)
    return [Pattern(SH.SPARQLConstraintComponent, text, value="?value", path="?path", constraint=value,
                    select=True, messages=messages_of(g, value))]


#: Constraint parameters and their compilers (parameters compiled together are listed in PARAMETERS).
COMPONENTS: dict[URIRef, Callable[[Context, Node], list[Pattern]]] = {
    SH["class"]: _class,
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH.minCount: _min_count,
    SH.maxCount: _max_count,
    SH.minExclusive: _range(SH.MinExclusiveConstraintComponent, ">"),
    SH.minInclusive: _range(SH.MinInclusiveConstraintComponent, ">="),
    SH.maxExclusive: _range(SH.MaxExclusiveConstraintComponent, "<"),
    SH.maxInclusive: _range(SH.MaxInclusiveConstraintComponent, "<="),
    SH.minLength: _min_length,
    SH.maxLength: _max_length,
    SH.pattern: _pattern,
    SH.languageIn: _language_in,
    SH.uniqueLang: _unique_lang,
    SH.equals: _equals,
    SH.disjoint: _disjoint,
    SH.lessThan: _less(SH.LessThanConstraintComponent, "<"),
    SH.lessThanOrEquals: _less(SH.LessThanOrEqualsConstraintComponent, "<="),
    SH["not"]: _not,
    SH["and"]: _and,
    SH["or"]: _or,
    SH.xone: _xone,
    SH.node: _node,
    SH.qualifiedValueShape: _qualified,
    SH.closed: _closed,
    SH.hasValue: _has_value,
    SH["in"]: _in,
    SH.sparql: _sparql,
}

#: Predicates on a shape that are not constraint parameters, or are read by a component above.
PARAMETERS = {
    RDF.type, SH.path, SH.property, SH.message, SH.severity, SH.deactivated, SH.name, SH.description,
    SH.order, SH.group, SH.defaultValue, SH.flags, SH.ignoredProperties, SH.qualifiedMinCount,
    SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.prefixes, SH.declare,
}


def compile_components(ctx: Context) -> list[Pattern]:
    """Every constraint of the shape (not of its ``sh:property`` shapes) as patterns.

    Raises
    ------
    Unsupported
        If the shape has a ``sh:`` parameter outside SHACL Core and SHACL-SPARQL constraints.
    """
    out: list[Pattern] = []
    for predicate in sorted(set(ctx.graph.predicates(ctx.shape)), key=str):
        if predicate in COMPONENTS:
            for value in sorted(ctx.graph.objects(ctx.shape, predicate), key=str):
                out.extend(COMPONENTS[predicate](ctx, value))
        elif predicate in PARAMETERS:
            continue
        elif str(predicate).startswith(str(SH)) or predicate in ctx.compiler.custom_parameters:
            raise Unsupported(f"{predicate} (not compiled)")
    return out
