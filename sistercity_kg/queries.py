"""The named-query library: competency questions and checks as SPARQL files in ``queries/``.

Each ``queries/<id>.rq`` file is a plain SPARQL query that runs on any SPARQL 1.1 engine. Its
header comment says what it asks and how to call it::

    # id: cq-interests
    # question (en): What are an actor's interests ...?
    # question (id): Apa saja kepentingan ...?
    # parameters:
    #   actor: IRI of a sck:SubStateActor; default sckid:actor/bandung-city-government (note)
    #   lang: string; default "en" (note)
    # expected: tests/queries/expected/cq-interests.json

A parameter is a SPARQL variable of the query. The library binds it as an RDF term in a
``VALUES`` block (:func:`sistercity_kg.binding.bind_parameters`), never by pasting text into the
query, so a value cannot change what the query does. A parameter whose default is ``none`` stays
unbound unless given (the query then answers for every value); ``required`` has to be given. Run
elsewhere without bindings, a query answers for every value of its parameters.

Queries whose id ends in ``-violation`` are checks: they must return no rows on valid data.

Examples
--------
>>> import sistercity_kg as sck
>>> q = sck.get_query("cq-interests")
>>> [p.name for p in q.parameters]
['actor', 'partner', 'lang']
>>> kg = sck.load()
>>> sorted(str(f).rsplit("/", 1)[1] for f in kg.query("cq-interests").values("field"))
['culture', 'knowledge-exchange', 'urban-governance']
>>> len(kg.query("cq-interests", bindings={"lang": "id"}))
3
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .binding import bind_parameters
from .errors import ParameterError, QueryError, UnknownQueryError
from .namespaces import PREFIXES
from .resources import bundled_path

if TYPE_CHECKING:  # pragma: no cover
    from .graph import KnowledgeGraph
    from .results import QueryResult

__all__ = [
    "Parameter",
    "Query",
    "PARAMETER_TYPES",
    "queries",
    "get_query",
    "run_query",
    "queries_dir",
    "expand_curie",
]

# Built from the IRI, not rdflib.namespace.XSD: a Namespace object at module level makes
# pytest's doctest collection warn (it probes module members for mock attributes).
_XSD_NS = "http://www.w3.org/2001/XMLSchema#"


class _XSD:
    """The XSD datatypes parameters use."""

    string = URIRef(_XSD_NS + "string")
    integer = URIRef(_XSD_NS + "integer")
    decimal = URIRef(_XSD_NS + "decimal")
    boolean = URIRef(_XSD_NS + "boolean")
    date = URIRef(_XSD_NS + "date")


#: The parameter types a query header may name, with the XSD datatype of literal ones.
PARAMETER_TYPES: Mapping[str, URIRef | None] = {
    "IRI": None,
    "string": _XSD.string,
    "integer": _XSD.integer,
    "decimal": _XSD.decimal,
    "boolean": _XSD.boolean,
    "date": _XSD.date,
}

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADER = re.compile(r"^#\s*(id|question \((?P<lang>[a-z]{2,3})\)|parameters|expected):\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"^#\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*):\s*(?P<type>[A-Za-z]+)"
    r"(?:\s+of\s+an?\s+(?P<cls>[^;]+?))?\s*;\s*default\s+(?P<default>\"[^\"]*\"|<[^>]*>|\S+)"
    r"(?:\s+\((?P<note>.*)\))?\s*$"
)
# An absolute IRI: a scheme, then no character that is forbidden in an IRI reference.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_NO_ROWS = "no rows"


@dataclass(frozen=True)
class Parameter:
    """A parameter of a named query: a SPARQL variable bound as an RDF term.

    Attributes
    ----------
    name : str
        The variable name, without ``?``.
    type : str
        One of :data:`PARAMETER_TYPES`: ``IRI`` or a literal type (``string``, ``integer``, ...).
    default : rdflib term or None
        The value used when none is given; None leaves the variable unbound (any value).
    required : bool
        True when a value must be given.
    range : str or None
        What an IRI should denote, e.g. ``"sck:SubStateActor"`` (documentation only).
    note : str
        What the parameter means.
    """

    name: str
    type: str
    default: Node | None = None
    required: bool = False
    range: str | None = None
    note: str = ""

    @property
    def expected(self) -> str:
        """The expected type in words, e.g. ``"an IRI of a sck:SubStateActor"``."""
        if self.type == "IRI":
            return f"an IRI of a {self.range}" if self.range else "an IRI"
        return f"a{'n' if self.type[0] in 'aeiou' else ''} {self.type} (xsd:{self.type})"

    def to_term(self, value: Any, *, query_id: str = "?") -> Node:
        """Convert a Python value (or an rdflib term) to the RDF term this parameter takes.

        ``str`` becomes an IRI for an ``IRI`` parameter (a full IRI or a CURIE of
        :data:`~sistercity_kg.namespaces.PREFIXES`, e.g. ``sckid:actor/bandung-city-government``)
        and a literal otherwise; ``int``, ``bool``, ``Decimal``, ``float`` and ``date`` become
        typed literals. Text for a typed literal (from the command line) is parsed.

        Raises
        ------
        ParameterError
            If the value is not of the expected type; the message names the parameter and the type.
        """
        if self.type == "IRI":
            return self._to_iri(value, query_id)
        datatype = PARAMETER_TYPES[self.type]
        if isinstance(value, BNode) or isinstance(value, URIRef):
            raise self._error(value, query_id)
        if isinstance(value, Literal):
            if self.type == "string" and (value.language or value.datatype in (None, _XSD.string)):
                return value
            if value.datatype == datatype and value.ill_typed is not True:
                return value
            raise self._error(value, query_id)
        if self.type == "string":
            if isinstance(value, str):
                return Literal(value)
            raise self._error(value, query_id)
        python = self._parse(value) if isinstance(value, str) else value
        if not _has_type(python, self.type):
            raise self._error(value, query_id)
        if self.type == "decimal":
            return Literal(Decimal(str(python)), datatype=_XSD.decimal)
        return Literal(python, datatype=datatype)

    def _to_iri(self, value: Any, query_id: str) -> URIRef:
        if isinstance(value, URIRef):
            text = str(value)
        elif isinstance(value, str) and not isinstance(value, Literal):
            text = expand_curie(value.strip().removeprefix("<").removesuffix(">"))
        else:
            raise self._error(value, query_id)
        if not _IRI.match(text):
            raise self._error(value, query_id)
        return URIRef(text)

    def _parse(self, text: str) -> Any:
        text = text.strip()
        try:
            if self.type == "integer":
                return int(text)
            if self.type == "decimal":
                return Decimal(text)
            if self.type == "date":
                return _dt.date.fromisoformat(text)
            if self.type == "boolean":
                return {"true": True, "false": False, "1": True, "0": False}[text.lower()]
        except (ValueError, KeyError, InvalidOperation):
            return text
        return text

    def _error(self, value: Any, query_id: str) -> ParameterError:
        shown = repr(str(value)) if isinstance(value, Node) else repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        example = f" such as {_short(self.default)}" if self.default is not None else ""
        return ParameterError(
            f"Query {query_id!r}: parameter {self.name!r} expects {self.expected}{example}; got {shown}."
        )


@dataclass(frozen=True)
class Query:
    """A named query read from a ``.rq`` file.

    Attributes
    ----------
    id : str
        The name, e.g. ``"cq-interests"`` (the file stem).
    question : dict
        The question per language code (``"en"``, ``"id"``).
    parameters : tuple of Parameter
        The parameters, in header order.
    path : Path
        The ``.rq`` file.
    expected : str
        The expected-answer file (relative to the repository), or ``"no rows"`` for a check.
    text : str
        The SPARQL text, header included.
    """

    id: str
    question: Mapping[str, str]
    parameters: tuple[Parameter, ...]
    path: Path
    expected: str
    text: str = field(repr=False)

    @property
    def is_check(self) -> bool:
        """True for a ``*-violation`` check, which must return no rows on valid data."""
        return self.id.endswith("-violation")

    @property
    def expects_no_rows(self) -> bool:
        """True when the header says ``expected: no rows``."""
        return self.expected == _NO_ROWS

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``.

        Raises
        ------
        ParameterError
            If the query has no such parameter (the message lists the closest names).
        """
        for p in self.parameters:
            if p.name == name:
                return p
        names = [p.name for p in self.parameters]
        known = f"its parameters are: {', '.join(names)}" if names else "it takes no parameters"
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ParameterError(f"Query {self.id!r} has no parameter {name!r}{hint}; {known}.")

    def bindings(self, values: Mapping[str, Any] | None = None) -> dict[str, Node]:
        """The RDF terms to bind: given values converted and checked, defaults for the rest.

        Raises
        ------
        ParameterError
            If a name is unknown, a value has the wrong type, or a required parameter is missing.
        """
        values = dict(values or {})
        for name in values:
            self.parameter(name)
        terms: dict[str, Node] = {}
        for p in self.parameters:
            if p.name in values and values[p.name] is not None:
                terms[p.name] = p.to_term(values[p.name], query_id=self.id)
            elif p.required:
                raise ParameterError(
                    f"Query {self.id!r} needs parameter {p.name!r} ({p.expected}); none was given."
                )
            elif p.default is not None:
                terms[p.name] = p.default
        return terms

    def sparql(self, values: Mapping[str, Any] | None = None) -> str:
        """The query text with the parameters bound as RDF terms (a ``VALUES`` block)."""
        return bind_parameters(self.text, self.bindings(values))

    @classmethod
    def from_file(cls, path: str | Path) -> "Query":
        """Read a query and its header from a ``.rq`` file.

        A file without a header is accepted as a query without parameters, named after its stem.

        Raises
        ------
        QueryError
            If the file cannot be read or its header is malformed (names the file and line).
        """
        from .errors import LoadError
        from .inputs import check_text_file

        path = Path(path)
        try:
            check_text_file(path, what="a SPARQL query file (UTF-8)")  # folder, permissions, encoding
            text = path.read_text(encoding="utf-8-sig")
        except LoadError as exc:
            raise QueryError(str(exc)) from None
        except OSError as exc:
            raise QueryError(f"{path}: cannot read the query file ({exc.strerror}).") from None
        return cls._parse(text, path)

    @classmethod
    def _parse(cls, text: str, path: Path) -> "Query":
        qid, question, params, expected = path.stem, {}, [], ""
        in_params = False
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.startswith("#"):
                if line.strip():
                    break  # the header ends where the query starts
                in_params = False
                continue
            head = _HEADER.match(line)
            if head:
                key, value = head.group(1), head.group("value")
                in_params = key == "parameters"
                if key == "id":
                    qid = value
                elif head.group("lang"):
                    question[head.group("lang")] = value
                elif key == "expected":
                    expected = value
                elif in_params and value not in ("", "none"):
                    raise QueryError(f"{path}, line {lineno}: write the parameters one per line below 'parameters:'.")
                continue
            if in_params and line.strip() != "#":
                match = _PARAM.match(line)
                if match:
                    params.append(_parameter(match, path, lineno))
                    continue
                in_params = False
        if not _ID.match(qid):
            raise QueryError(f"{path}: the query id {qid!r} must be lower-case letters, digits and '-'.")
        return cls(id=qid, question=question, parameters=tuple(params), path=path, expected=expected, text=text)


def _parameter(match: re.Match[str], path: Path, lineno: int) -> Parameter:
    name, ptype, default = match.group("name"), match.group("type"), match.group("default")
    if ptype not in PARAMETER_TYPES:
        raise QueryError(
            f"{path}, line {lineno}: parameter {name!r} has unknown type {ptype!r}; "
            f"expected one of {', '.join(PARAMETER_TYPES)}."
        )
    spec = Parameter(name=name, type=ptype, range=match.group("cls"), note=match.group("note") or "")
    if default == "required":
        return Parameter(name, ptype, None, True, spec.range, spec.note)
    if default == "none":
        return spec
    if default.startswith('"'):
        default = default[1:-1]
    try:
        term = spec.to_term(default, query_id=path.stem)
    except ParameterError as exc:
        raise QueryError(f"{path}, line {lineno}: bad default: {exc}") from None
    return Parameter(name, ptype, term, False, spec.range, spec.note)


def _has_type(value: Any, ptype: str) -> bool:
    if ptype == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if ptype == "decimal":
        return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    if ptype == "boolean":
        return isinstance(value, bool)
    if ptype == "date":
        return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)
    return False


def expand_curie(text: str) -> str:
    """Expand a CURIE whose prefix is in ``PREFIXES``; anything else is returned unchanged.

    >>> expand_curie("sckid:actor/bandung-city-government")
    'https://w3id.org/sistercity-kg/id/actor/bandung-city-government'
    >>> expand_curie("https://example.org/x")
    'https://example.org/x'
    """
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return text


def _short(term: Node) -> str:
    if isinstance(term, URIRef):
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if str(term).startswith(ns):
                return f"{prefix}:{str(term)[len(ns):]}"
        return f"<{term}>"
    return repr(str(term))


def queries_dir() -> Path:
    """The folder of the bundled named queries."""
    return bundled_path("queries")


@lru_cache(maxsize=1)
def _library() -> dict[str, Query]:
    found: dict[str, Query] = {}
    for path in sorted(queries_dir().glob("*.rq")):
        query = Query.from_file(path)
        found[query.id] = query
    return found


def queries() -> list[Query]:
    """The bundled named queries (competency questions and ``*-violation`` checks), by id.

    >>> import sistercity_kg as sck
    >>> "cq-reciprocity" in [q.id for q in sck.queries()]
    True
    """
    return list(_library().values())


def get_query(name: str) -> Query:
    """The bundled named query ``name`` (its id; a trailing ``.rq`` is allowed).

    Raises
    ------
    UnknownQueryError
        If there is no such query; the message lists the closest names.
    """
    library = _library()
    key = name[:-3] if name.endswith(".rq") else name
    if key in library:
        return library[key]
    close = difflib.get_close_matches(key, list(library), n=3, cutoff=0.4)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise UnknownQueryError(
        f"No query named {name!r}{hint}. Run 'sistercity-kg queries' to list them all."
    )


def resolve(query: "str | Path | Query") -> Query | None:
    """The :class:`Query` a name, ``.rq`` path or Query denotes; None for SPARQL text."""
    if isinstance(query, Query):
        return query
    if isinstance(query, str):
        named = _library().get(query)
        if named is not None:  # a query id as is: the common case, without the tests below
            return named
    if isinstance(query, Path):
        if not query.is_file():
            raise QueryError(f"{query}: no such query file.")
        return Query.from_file(query)
    text = query.strip()
    if "\n" in text:
        return None
    if text.endswith(".rq"):
        path = Path(text)
        if path.is_file():
            return Query.from_file(path)
        if "/" not in text and text[:-3] in _library():
            return get_query(text)  # "cq-gaps.rq" names the bundled query
        raise QueryError(f"{path}: no such query file.")
    if _ID.match(text):
        return get_query(text)
    return None


def run_query(
    kg: "KnowledgeGraph",
    query: "str | Path | Query",
    *,
    bindings: Mapping[str, Any] | None = None,
    sources: Any = None,
    allow_network: bool = False,
) -> "QueryResult":
    """Run a named query, a ``.rq`` file or SPARQL text on ``kg`` (what ``kg.query`` does).

    ``allow_network=True`` lets a ``SERVICE`` clause call another endpoint (refused by default).

    ``sources`` restricts the question to the named graphs of those source documents plus the
    ontology and schemes (see :mod:`sistercity_kg.sources`).

    A name or file gets its parameters bound (defaults for those not given); SPARQL text gets
    ``bindings`` bound as given, each value an rdflib term or a ``str`` (a literal), ``int``,
    ``bool``, ``Decimal``, ``float`` or ``date``.

    Raises
    ------
    UnknownQueryError
        If a name is not a bundled query.
    ParameterError
        If a parameter is unknown, missing or of the wrong type.
    QueryError
        If the query is malformed or fails.
    """
    if sources is not None:
        from .sources import restricted

        kg = restricted(kg, sources)
    named = resolve(query)
    if named is None:
        terms = {name: _literal_or_term(name, value) for name, value in (bindings or {}).items()}
        return kg.sparql(str(query), bindings=terms or None, allow_network=allow_network)
    return kg.sparql(named.sparql(bindings), allow_network=allow_network)


def _literal_or_term(name: str, value: Any) -> Node:
    if isinstance(value, Node):
        return value
    if isinstance(value, (str, int, float, bool, Decimal, _dt.date)):
        return Literal(value)
    raise ParameterError(
        f"Parameter {name!r}: cannot bind a {type(value).__name__}; give an rdflib term, str, int, "
        "float, bool, Decimal or date."
    )
