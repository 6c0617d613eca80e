"""A knowledge graph in any SPARQL 1.1 server: the SPARQL Protocol, and the Graph Store Protocol for bulk loads.

Only the standard library speaks to the server (:mod:`urllib.request`), with Basic or Digest
authentication, an explicit ``Accept`` header on every request (SPARQL JSON for SELECT and ASK,
N-Triples for CONSTRUCT and DESCRIBE: a server left to negotiate may answer RDF/XML) and a timeout
on every request. Errors name the endpoint, never the credentials.

What the knowledge graph is on the server
    The named graphs given as ``graph=`` (one IRI or several) plus any graph written through this
    object; by default, every named graph under ``https://w3id.org/sistercity-kg/graph/`` (where
    :func:`sistercity_kg.load` and :meth:`~sistercity_kg.KnowledgeGraph.load_file` put files).
    Queries see the union of those graphs as their default graph, and ``GRAPH ?g`` ranges over
    them only (the ``default-graph-uri`` and ``named-graph-uri`` protocol parameters): never the
    server's own default graph, which on Virtuoso holds about 2,500 system triples. Counts are
    scoped the same way.

Writes
    Every write names its graph. Blank nodes are sent as skolem IRIs
    ``https://w3id.org/sistercity-kg/.well-known/genid/<id>`` (Virtuoso rejects blank nodes in
    ``INSERT DATA``) and read back as blank nodes. Small writes are one ``INSERT DATA`` request;
    larger ones are sent in batches (Virtuoso fails above about 5,000 triples per ``INSERT DATA``),
    or through the Graph Store Protocol when ``graph_store_endpoint`` is given, into a temporary
    graph that one final update adds to the target: an interrupted write leaves the target as it was.

Server quirks handled
    ``SELECT DISTINCT`` answers are de-duplicated here too: Virtuoso 7.2 repeats rows when the
    default graph is several graphs and a triple is stated in more than one of them
    (``cq-partners`` over the news-source layer: one row 4 times). Results cut at a server's row limit (Virtuoso's ``ResultSetMaxRows``, announced with an
    ``X-SPARQL-MaxRows`` header, or the ``max_rows=`` given here) raise a :class:`QueryError`
    rather than silently answering part. ``"x"^^xsd:string`` comes back as ``"x"`` (the same
    term in RDF 1.1). Language tags come back as the server keeps them (Virtuoso lower-cases them):
    compare them case-insensitively, as BCP 47 says.

Credentials
    ``auth=(user, password)``, else the environment variables ``SISTERCITY_KG_USER`` and
    ``SISTERCITY_KG_PASSWORD``. They are never logged, shown in ``repr`` or put in error messages;
    credentials written into the URL (``http://user:pw@host/...``) are taken out of it.

Examples
--------
>>> store = RemoteStore("http://127.0.0.1:9/sparql", auth=("reader", "secret"), timeout=2)
>>> store
<RemoteStore http://127.0.0.1:9/sparql (with credentials)>
>>> query_form("PREFIX ex: <http://example.org/select#> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
'CONSTRUCT'
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import AuthenticationError, QueryError, StoreError
from ..namespaces import PREFIXES, SCKG
from ..results import QueryResult
from .base import Store, is_temporary_graph

__all__ = ["RemoteStore", "GENID", "query_form", "is_distinct", "USER_ENV", "PASSWORD_ENV"]

log = logging.getLogger(__name__)

#: Environment variables read for credentials when ``auth`` is not given.
USER_ENV = "SISTERCITY_KG_USER"
PASSWORD_ENV = "SISTERCITY_KG_PASSWORD"

#: Skolem IRIs stand for blank nodes on the server.
GENID = "https://w3id.org/sistercity-kg/.well-known/genid/"
#: Datatypes a server would corrupt travel under this namespace (``.../datatype/duration``
#: stands for ``xsd:duration``) and are restored on the way back.
OPAQUE_DATATYPE = "https://w3id.org/sistercity-kg/.well-known/datatype/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
# Virtuoso 7.2 refuses xsd:duration in INSERT DATA and turns "P1Y" into "12" when loading it.
_VIRTUOSO_CORRUPTS = frozenset(_XSD + name for name in ("duration", "dayTimeDuration", "yearMonthDuration"))

_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_FORM = "application/x-www-form-urlencoded"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# A graph nobody writes: scoping to "no graphs" must not fall back to the server's default graph.
_NO_GRAPH = "https://w3id.org/sistercity-kg/.well-known/no-graph"


class _Credentials:
    """A user name and password that never print."""

    __slots__ = ("user", "password")

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password

    def __repr__(self) -> str:
        return "<credentials>"


class RemoteStore(Store):
    """Named graphs in a SPARQL 1.1 server.

    Parameters
    ----------
    query_endpoint : str
        The SPARQL query endpoint, e.g. ``http://localhost:7878/query`` (Oxigraph) or
        ``http://localhost:8890/sparql`` (Virtuoso).
    update_endpoint : str, optional
        The SPARQL update endpoint (``.../update``; Virtuoso: ``.../sparql-auth`` with Digest auth).
        The query endpoint by default.
    graph_store_endpoint : str, optional
        A Graph Store Protocol endpoint (``.../store``; Virtuoso: ``.../sparql-graph-crud-auth``)
        for bulk loads; without it, loads are batched ``INSERT DATA`` requests.
    graph : IRI or iterable of IRIs, optional
        The named graphs that make up the knowledge graph; by default every graph under
        ``https://w3id.org/sistercity-kg/graph/``.
    auth : (str, str), optional
        User and password (Basic or Digest, whichever the server asks for); by default from the
        environment variables ``SISTERCITY_KG_USER`` and ``SISTERCITY_KG_PASSWORD``.
    timeout : float
        Seconds to wait for the server on every request before giving up with a :class:`StoreError`.
    max_rows : int, optional
        The server's result-row limit, if known: an answer of that many rows counts as cut short.
    batch_size : int
        Triples per ``INSERT DATA`` request (Virtuoso refuses much above 5,000).
    """

    kind = "remote"

    def __init__(
        self,
        query_endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store_endpoint: str | None = None,
        graph: str | URIRef | Iterable[str | URIRef] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float = 30.0,
        max_rows: int | None = None,
        batch_size: int = 2000,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be a positive number of seconds.")
        found: list[_Credentials] = []
        self.query_endpoint = _clean_url(query_endpoint, found)
        self.update_endpoint = _clean_url(update_endpoint, found) if update_endpoint else self.query_endpoint
        self.graph_store_endpoint = _clean_url(graph_store_endpoint, found) if graph_store_endpoint else None
        if auth is not None:
            self._credentials: _Credentials | None = _Credentials(str(auth[0]), str(auth[1]))
        elif found:
            self._credentials = found[0]
        elif os.environ.get(USER_ENV):
            self._credentials = _Credentials(os.environ[USER_ENV], os.environ.get(PASSWORD_ENV, ""))
        else:
            self._credentials = None
        self.timeout = float(timeout)
        self.max_rows = max_rows
        self.batch_size = max(1, int(batch_size))
        if graph is None:
            self._fixed: list[str] | None = None
        elif isinstance(graph, (str, URIRef)):
            self._fixed = [str(graph)]
        else:
            self._fixed = [str(g) for g in graph]
        self._written: set[str] = set()  # graphs this object wrote, in scope from then on
        self._discovered: list[str] | None = None  # cached scope when graph=None
        self._closed = False
        self._opener = self._build_opener()
        # the row limit a server announced for the last request, per thread: one connection may
        # serve several threads, and one thread's answer must not vouch for another's
        self._per_thread = threading.local()

    def __repr__(self) -> str:
        extra = " (with credentials)" if self._credentials is not None else ""
        return f"<RemoteStore {self.query_endpoint}{extra}>"

    # -- reading -------------------------------------------------------------------

    def graphs_in_scope(self, *, refresh: bool = False) -> list[str]:
        """The IRIs of the named graphs that make up the knowledge graph (see the module docs)."""
        if self._fixed is not None:
            return sorted(set(self._fixed) | self._written)
        # Read the cache once: a write in another thread may reset it between a check and a use,
        # which made a query's scope the written graphs only.
        discovered = self._discovered
        if refresh or discovered is None:
            discovered = sorted(self._graph_counts())
        return sorted(set(discovered) | self._written)

    def refresh(self) -> None:
        """Forget the cached list of graphs (after other clients added graphs to the server)."""
        self._discovered = None

    def count(self, graph: ox.NamedNode | None = None) -> int:
        if graph is not None:
            rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
            return int(rows[0]["n"]) if rows else 0
        counts = self._graph_counts()
        return sum(counts.values())

    def named_graphs(self) -> list[ox.NamedNode]:
        return [ox.NamedNode(g) for g in sorted(self._graph_counts())]

    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        names = [graph.value] if graph is not None else sorted(self._graph_counts())
        for name in names:
            text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
            body = self._query_request(text, _NTRIPLES, scope=None)
            target = ox.NamedNode(name)
            quads = [
                ox.Quad(_unskolem(q.subject), q.predicate, _unskolem(q.object), target)
                for q in ox.parse(input=body, format=ox.RdfFormat.N_TRIPLES)
            ]
            self._check_rows(len(quads))
            yield from quads

    def query(self, query: str) -> QueryResult:
        form = query_form(query)
        scope = self.graphs_in_scope()
        if self._is_virtuoso():
            query = inline_parameters_in_filters(query)
        if form in ("SELECT", "ASK"):
            doc = _json(self._query_request(query, _JSON, scope=scope), self.query_endpoint)
            if "boolean" in doc:
                return QueryResult(boolean=bool(doc["boolean"]))
            variables = tuple(doc.get("head", {}).get("vars", ()))
            rows = tuple(
                {name: _json_term(value) for name, value in binding.items()}
                for binding in doc.get("results", {}).get("bindings", ())
            )
            self._check_rows(len(rows))
            if is_distinct(query):
                rows = _distinct(rows)
            return QueryResult(variables=variables, rows=rows)
        body = self._query_request(query, _NTRIPLES, scope=scope)
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True, replace=True)
        count = 0
        for quad in ox.parse(input=body, format=ox.RdfFormat.N_TRIPLES):
            graph.add((_rdflib(_unskolem(quad.subject)), _rdflib(quad.predicate), _rdflib(_unskolem(quad.object))))
            count += 1
        self._check_rows(count)
        return QueryResult(graph=graph)

    # -- writing -------------------------------------------------------------------

    def load(
        self,
        *,
        format: ox.RdfFormat,
        graph: ox.NamedNode,
        path: str | Path | None = None,
        data: str | bytes | None = None,
        lenient: bool = False,
    ) -> None:
        # Parsed here, so a syntax error names the line and nothing reaches the server.
        if path is not None:
            parsed = ox.parse(path=str(path), format=format, lenient=lenient)
        else:
            parsed = ox.parse(input=data, format=format, lenient=lenient)
        quads = [
            q if isinstance(q.graph_name, ox.NamedNode) else ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in parsed
        ]
        self.extend(quads)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        by_graph = _group(quads, self._corrupted_datatypes())
        if not by_graph:
            return
        total = sum(len(triples) for triples in by_graph.values())
        if total <= self.batch_size and self.graph_store_endpoint is None:
            # One request is one transaction on the server.
            self._update(_insert_data(by_graph))
        else:
            self._add_via_temporary_graphs(by_graph)
        self._written.update(by_graph)

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self._update(f"DROP SILENT GRAPH <{graph.value}>")
        self._written.discard(graph.value)
        self._discovered = None

    def update(self, update: str) -> None:
        """Run a SPARQL update; its ``WHERE`` clauses see the knowledge graph's graphs only."""
        self._update(update, scope=self.graphs_in_scope())
        self._discovered = None

    def replace_graphs(self, graphs: object) -> None:  # type: ignore[override]
        super().replace_graphs(graphs)  # type: ignore[arg-type]
        self._written.update(g.value for g in graphs)  # type: ignore[attr-defined]
        self._discovered = None

    def close(self) -> None:
        self._closed = True

    # -- internals: writing --------------------------------------------------------

    def _stage(self, tmp: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        triples = _group(quads, self._corrupted_datatypes()).get(tmp.value, [])
        self._send_batches(tmp.value, triples)

    def _corrupted_datatypes(self) -> frozenset[str]:
        """Datatypes this server would change."""
        return _VIRTUOSO_CORRUPTS if self._is_virtuoso() else frozenset()

    def _is_virtuoso(self) -> bool:
        """Whether the server says it is Virtuoso (asks it on first use)."""
        if self._server is None:
            self._query_request("ASK {}", _JSON, scope=None)
        return "virtuoso" in (self._server or "").lower()

    def _send_batches(self, graph: str, triples: Sequence[tuple[object, object, object]]) -> None:
        """Write triples into one graph in as many requests as needed (not atomic: for temporary graphs)."""
        if self.graph_store_endpoint is not None:
            # One POST per graph: the Graph Store Protocol takes any size.
            self._gsp_post(graph, _ntriples(triples))
            return
        for start in range(0, len(triples), self.batch_size):
            self._update(_insert_data({graph: triples[start : start + self.batch_size]}))

    def _add_via_temporary_graphs(self, by_graph: dict[str, list[tuple[object, object, object]]]) -> None:
        from .base import TMP_GRAPH_PREFIX
        import secrets

        token = secrets.token_hex(6)
        staged: list[tuple[str, str]] = []
        try:
            for number, (graph, triples) in enumerate(by_graph.items()):
                tmp = f"{TMP_GRAPH_PREFIX}{token}/{number}"
                staged.append((tmp, graph))
                self._send_batches(tmp, triples)
            ops = [f"ADD SILENT GRAPH <{tmp}> TO GRAPH <{graph}>" for tmp, graph in staged]
            ops += [f"DROP SILENT GRAPH <{tmp}>" for tmp, _ in staged]
            self._update(" ;\n".join(ops))
        except BaseException:
            for tmp, _ in staged:
                try:
                    self._update(f"DROP SILENT GRAPH <{tmp}>")
                except Exception:  # noqa: BLE001 - best effort; the original error matters
                    pass
            raise

    def _swap(self, update: str) -> None:
        self._update(update)

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"{self!r} is closed.")

    # -- internals: reading --------------------------------------------------------

    def _graph_counts(self) -> dict[str, int]:
        """Quads per graph of the knowledge graph (and, with graph=None, the graphs discovered)."""
        if self._fixed is not None:
            names = sorted(set(self._fixed) | self._written)
            values = " ".join(f"<{g}>" for g in names)
            text = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        else:
            text = (
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                f'FILTER(STRSTARTS(STR(?g), "{SCKG}")) }} GROUP BY ?g'
            )
            written = ", ".join(f"<{g}>" for g in sorted(self._written))
            if written:
                text = (
                    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                    f'FILTER(STRSTARTS(STR(?g), "{SCKG}") || ?g IN ({written})) }} GROUP BY ?g'
                )
        counts = {str(row["g"]): int(row["n"]) for row in self._select(text) if "g" in row}
        counts = {g: n for g, n in counts.items() if n and not is_temporary_graph(g)}
        if self._fixed is None:
            self._discovered = sorted(counts)
        return counts

    def _select(self, text: str) -> list[dict[str, Node]]:
        doc = _json(self._query_request(text, _JSON, scope=None), self.query_endpoint)
        return [{k: _json_term(v) for k, v in b.items()} for b in doc.get("results", {}).get("bindings", ())]

    def _check_rows(self, count: int) -> None:
        limit = self._last_max_rows if self._last_max_rows is not None else self.max_rows
        if limit is not None and count >= limit:
            raise QueryError(
                f"{self.query_endpoint}: the results were truncated at {limit} rows by the server's "
                "row limit (Virtuoso: ResultSetMaxRows); raise the limit or page the query with LIMIT/OFFSET."
            )

    # -- internals: HTTP -------------------------------------------------------------

    @property
    def _last_max_rows(self) -> int | None:
        return getattr(self._per_thread, "max_rows", None)

    @_last_max_rows.setter
    def _last_max_rows(self, value: int | None) -> None:
        self._per_thread.max_rows = value

    _server: str | None = None  # the Server header: some quirks are Virtuoso's only

    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = []
        if self._credentials is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {self.query_endpoint, self.update_endpoint, self.graph_store_endpoint} - {None}:
                manager.add_password(None, url, self._credentials.user, self._credentials.password)  # type: ignore[arg-type]
            # Digest first (Virtuoso refuses Basic on /sparql-auth); Basic for servers that ask for it.
            handlers += [urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)]
        return urllib.request.build_opener(*handlers)

    def _query_request(self, query: str, accept: str, *, scope: list[str] | None) -> bytes:
        params: list[tuple[str, str]] = [("query", query)]
        if scope is not None:
            graphs = scope or [_NO_GRAPH]
            # Both lists, always: Virtuoso lets GRAPH ?g roam over every graph unless named-graph-uri is given.
            params += [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
        return self._request(self.query_endpoint, urllib.parse.urlencode(params).encode(), _FORM, accept, "query")

    def _update(self, update: str, *, scope: list[str] | None = None) -> None:
        self._check_writable()
        params: list[tuple[str, str]] = [("update", update)]
        if scope is not None:
            graphs = scope or [_NO_GRAPH]
            params += [("using-graph-uri", g) for g in graphs] + [("using-named-graph-uri", g) for g in graphs]
        self._request(self.update_endpoint, urllib.parse.urlencode(params).encode(), _FORM, _JSON, "update")

    def _gsp_post(self, graph: str, payload: bytes) -> None:
        self._check_writable()
        assert self.graph_store_endpoint is not None
        sep = "&" if "?" in self.graph_store_endpoint else "?"
        url = f"{self.graph_store_endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"
        self._request(url, payload, _NTRIPLES, "*/*", "Graph Store POST", endpoint=self.graph_store_endpoint)

    def _request(
        self,
        url: str,
        body: bytes,
        content_type: str,
        accept: str,
        what: str,
        *,
        endpoint: str | None = None,
    ) -> bytes:
        endpoint = endpoint or url
        if self._closed:
            raise StoreError(f"{self!r} is closed.")
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": content_type, "Accept": accept}
        )
        started = time.monotonic()
        self._last_max_rows = None
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                payload = response.read()
                self._server = response.headers.get("Server", "")
                limit = response.headers.get("X-SPARQL-MaxRows")
                self._last_max_rows = int(limit) if limit and limit.strip().isdigit() else None
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, endpoint, what) from None
        except urllib.error.URLError as exc:
            raise self._network_error(exc.reason, endpoint, started) from None
        except (TimeoutError, socket.timeout, ConnectionError, OSError) as exc:
            raise self._network_error(exc, endpoint, started) from None
        log.debug("%s %s: %d bytes in %.3f s", what, endpoint, len(payload), time.monotonic() - started)
        return payload

    def _http_error(self, exc: urllib.error.HTTPError, endpoint: str, what: str) -> Exception:
        try:
            detail = exc.read().decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - the body is only a help
            detail = ""
        detail = " ".join(detail.split())[:400]
        if exc.code in (401, 403) or "SR186" in detail or "permission" in detail.lower():
            if self._credentials is None:
                hint = f"give auth=(user, password) or set {USER_ENV} and {PASSWORD_ENV}"
            else:
                hint = f"check the user and password (auth= or {USER_ENV} / {PASSWORD_ENV})"
            return AuthenticationError(f"{endpoint}: the server refused the {what} (HTTP {exc.code}, not authorised); {hint}.")
        if exc.code == 404:
            return StoreError(f"{endpoint}: no SPARQL service there (HTTP 404); check the endpoint URL.")
        if exc.code == 400 or exc.code == 500 and ("SPARQL" in detail or "SP0" in detail):
            return QueryError(f"{endpoint}: the server rejected the {what} (HTTP {exc.code}): {detail}")
        return StoreError(f"{endpoint}: the {what} failed (HTTP {exc.code}): {detail}")

    def _network_error(self, reason: object, endpoint: str, started: float) -> StoreError:
        waited = time.monotonic() - started
        if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
            return StoreError(f"{endpoint}: no answer within the timeout of {self.timeout:g} s (waited {waited:.1f} s).")
        if isinstance(reason, ConnectionRefusedError):
            return StoreError(f"{endpoint}: connection refused; is the server running there?")
        text = getattr(reason, "strerror", None) or str(reason)
        return StoreError(f"{endpoint}: cannot reach the server ({text}).")


# -- helpers ------------------------------------------------------------------------

_STRIP = re.compile(r'<[^<>"{}|^`\\\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|' r"'''(?:[^'\\]|\\.|'(?!''))*'''|" r'"(?:[^"\\\n]|\\.)*"|' r"'(?:[^'\\\n]|\\.)*'|#[^\n]*")
_FORM_WORD = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(query: str) -> str:
    """The form of a SPARQL query: ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.

    IRIs, strings and comments are skipped, so ``PREFIX ask: <...>`` does not confuse it.

    Raises
    ------
    QueryError
        If no query form is found (e.g. an update was given).

    >>> query_form("# ASK me\\nSELECT * WHERE { ?s ?p 'CONSTRUCT' }")
    'SELECT'
    """
    stripped = _STRIP.sub(" ", query)
    match = _FORM_WORD.search(stripped)
    if match is None:
        raise QueryError("The text is not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE).")
    return match.group(1).upper()


_DISTINCT = re.compile(r"\bSELECT\s+DISTINCT\b", re.IGNORECASE)


def is_distinct(query: str) -> bool:
    """Whether the outermost query is ``SELECT DISTINCT`` (the first SELECT of the text is the outermost).

    >>> is_distinct("SELECT ?x WHERE { { SELECT DISTINCT ?x WHERE { ?x ?p ?o } } }")
    False
    >>> is_distinct("# SELECT ?y\\nselect  distinct ?x WHERE { ?x ?p ?o }")
    True
    """
    stripped = _STRIP.sub(" ", query)
    first = _FORM_WORD.search(stripped)
    if first is None or first.group(1).upper() != "SELECT":
        return False
    return _DISTINCT.match(stripped, first.start()) is not None


def _distinct(rows: tuple[dict[str, Node], ...]) -> tuple[dict[str, Node], ...]:
    """The rows without repeats, in their order (the first of each kept, so ORDER BY still holds)."""
    seen: set[frozenset[tuple[str, Node]]] = set()
    kept = []
    for row in rows:
        key = frozenset(row.items())
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return tuple(kept)


_VALUES_ROW = re.compile(
    r"\{\s*VALUES\s*(\((?:\s*[?$][A-Za-z_][A-Za-z0-9_]*)+\s*\)|[?$][A-Za-z_][A-Za-z0-9_]*)\s*\{\s*(\(?)",
    re.IGNORECASE,
)
_VALUE_TERM = re.compile(r'<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^<>"\s]*>)?|UNDEF', re.IGNORECASE)
_FILTER_WORD = re.compile(r"\bFILTER\b", re.IGNORECASE)


def inline_parameters_in_filters(query: str) -> str:
    """Copy the constants of a one-row ``VALUES`` block at the top of the WHERE group into FILTERs.

    Virtuoso evaluates a ``FILTER`` inside ``OPTIONAL { ... }`` without the variables bound
    outside the group (SPARQL gives it the whole left-hand solution), so
    ``OPTIONAL { ?x rdfs:label ?l FILTER (lang(?l) = ?lang) }`` never matches there when ``?lang``
    comes from ``VALUES``. Writing the bound term into the FILTER gives the same answer everywhere.
    The ``VALUES`` block stays, so the variables are still bound and projected.

    >>> q = 'SELECT ?l WHERE { VALUES (?lang) { ("en") } ?x ?p ?y OPTIONAL { ?x <urn:l> ?l FILTER (lang(?l) = ?lang) } }'
    >>> inline_parameters_in_filters(q).split("FILTER")[1]
    ' (lang(?l) = "en") } }'
    """
    mask = _masked(query)
    match = _VALUES_ROW.search(mask)
    if match is None:
        return query
    names = re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", match.group(1))
    # The row: as many terms as names, read from the original text (the mask hides strings).
    terms: list[str] = []
    position = match.end()
    for _ in names:
        while position < len(query) and query[position].isspace():
            position += 1
        term = _VALUE_TERM.match(query, position)
        if term is None:
            return query
        terms.append(term.group(0))
        position = term.end()
    rest = query[position:].lstrip()
    if match.group(2) and not rest.startswith(")"):
        return query  # more than one row: nothing to inline
    closing = rest.lstrip(")").lstrip()
    if not closing.startswith("}") or closing[1:].lstrip().startswith("("):
        return query
    constants = {n: t for n, t in zip(names, terms) if t.upper() != "UNDEF"}
    if not constants:
        return query
    out: list[str] = []
    last = 0
    pattern = re.compile(r"[?$](" + "|".join(map(re.escape, constants)) + r")\b")
    for found in _FILTER_WORD.finditer(mask, position):
        start, end = found.end(), _expression_end(mask, found.end())
        if start < last:
            continue
        out.append(query[last:start])
        segment, segment_mask = query[start:end], mask[start:end]
        pieces, cursor = [], 0
        for var in pattern.finditer(segment_mask):
            pieces.append(segment[cursor : var.start()])
            pieces.append(constants[var.group(1)])
            cursor = var.end()
        pieces.append(segment[cursor:])
        out.append("".join(pieces))
        last = end
    out.append(query[last:])
    return "".join(out)


def _masked(text: str) -> str:
    """The text with IRIs, strings and comments blanked out (same length), so keywords are found safely."""
    def blank(m: re.Match[str]) -> str:
        token = m.group(0)
        if token.startswith("#") or len(token) < 2:
            return " " * len(token)
        return token[0] + " " * (len(token) - 2) + token[-1]

    return _STRIP.sub(blank, text)


def _expression_end(mask: str, start: int) -> int:
    """Where the FILTER expression that starts at ``start`` ends (balanced brackets; EXISTS groups too)."""
    i = start
    while i < len(mask) and mask[i].isspace():
        i += 1
    # a function-call filter: FILTER regex(...), FILTER NOT EXISTS { ... }
    while i < len(mask) and (mask[i].isalnum() or mask[i] in "_:" or mask[i].isspace()) and mask[i] not in "({":
        i += 1
    depth = 0
    while i < len(mask):
        char = mask[i]
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
            if depth <= 0:
                return i + 1
        i += 1
    return len(mask)


def _clean_url(url: str | None, found: list[_Credentials]) -> str:
    """The URL without user:password@ (moved into ``found``)."""
    if not url:
        raise ValueError("An endpoint URL is required.")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{parts.scheme + '://' if parts.scheme else ''}{parts.hostname or url.split('@')[-1]}: "
                         "not an http(s) endpoint URL.")
    if parts.username is not None:
        found.append(_Credentials(urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")))
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        if ":" in parts.hostname:  # IPv6 literal
            netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urllib.parse.urlunsplit(parts)


def _json(payload: bytes, endpoint: str) -> dict:
    try:
        doc = json.loads(payload)
    except ValueError:
        start = payload[:80].decode("utf-8", "replace")
        raise QueryError(f"{endpoint}: the answer is not SPARQL JSON results (it starts {start!r}).") from None
    if not isinstance(doc, dict):
        raise QueryError(f"{endpoint}: the answer is not SPARQL JSON results.")
    return doc


def _json_term(value: dict) -> Node:
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        if text.startswith(GENID):
            return BNode(text[len(GENID) :])
        return URIRef(text)
    if kind == "bnode":
        return BNode(text.removeprefix("nodeID://"))
    lang = value.get("xml:lang")
    if lang:
        return Literal(text, lang=lang)
    datatype = value.get("datatype")
    if datatype and datatype.startswith(OPAQUE_DATATYPE):
        datatype = _XSD + datatype[len(OPAQUE_DATATYPE) :]
    if datatype and datatype != _XSD_STRING:
        return Literal(text, datatype=URIRef(datatype), normalize=False)
    return Literal(text)


def _skolem(term: object) -> object:
    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(GENID + term.value)
    return term


def _unskolem(term: object) -> object:
    """A term as read from the server, with blank nodes and protected datatypes restored."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(GENID):
        return ox.BlankNode(term.value[len(GENID) :])
    if isinstance(term, ox.Literal) and term.datatype.value.startswith(OPAQUE_DATATYPE):
        return ox.Literal(term.value, datatype=ox.NamedNode(_XSD + term.datatype.value[len(OPAQUE_DATATYPE) :]))
    return term


def _protect(term: object, corrupted: frozenset[str]) -> object:
    if isinstance(term, ox.Literal) and term.datatype.value in corrupted:
        return ox.Literal(term.value, datatype=ox.NamedNode(OPAQUE_DATATYPE + term.datatype.value[len(_XSD) :]))
    return term


def _rdflib(term: object) -> Node:
    from ..terms import to_rdflib

    return to_rdflib(term)  # type: ignore[arg-type]


def _group(
    quads: Iterable[ox.Quad], corrupted: frozenset[str] = frozenset()
) -> dict[str, list[tuple[object, object, object]]]:
    """Skolemised, de-duplicated triples per named graph.

    Raises
    ------
    StoreError
        If a quad is in the default graph: a knowledge graph writes named graphs only.
    """
    groups: dict[str, dict[tuple[object, object, object], None]] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise StoreError("Only named graphs can be written to a SPARQL server; give each quad a graph.")
        obj = _protect(_skolem(quad.object), corrupted) if corrupted else _skolem(quad.object)
        groups.setdefault(quad.graph_name.value, {})[(_skolem(quad.subject), quad.predicate, obj)] = None
    return {g: list(t) for g, t in groups.items()}


def _ntriples(triples: Iterable[tuple[object, object, object]]) -> bytes:
    return ox.serialize([ox.Triple(s, p, o) for s, p, o in triples], format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]


def _insert_data(by_graph: dict[str, Sequence[tuple[object, object, object]]]) -> str:
    blocks = [
        f"GRAPH <{graph}> {{\n{_ntriples(triples).decode('utf-8')}}}" for graph, triples in by_graph.items() if triples
    ]
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
