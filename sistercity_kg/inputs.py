"""Checks every loader runs on its input before parsing: files, encodings, nesting, network access.

The loaders (:meth:`KnowledgeGraph.load_file <sistercity_kg.KnowledgeGraph.load_file>`, the importers,
the shapes loader and :meth:`KnowledgeGraph.sparql <sistercity_kg.KnowledgeGraph.sparql>`) call these
functions so that a bad input always ends in one of the library's own errors naming the file, the line
and column (or row) and what was expected, and never in a traceback or a crash of the interpreter.
The graph is never changed by a failed load: every loader parses fully before it adds anything.

Decisions
---------
- **Encodings**: RDF, CSV and JSON files must be UTF-8 (the RDF syntaxes and SPARQL JSON results say so).
  A UTF-8 byte-order mark is accepted and skipped (spreadsheet programs write one). UTF-16 and UTF-32
  (with or without a byte-order mark), Latin-1/Windows-1252 and binary data are refused with a message
  naming the encoding found and UTF-8 as the one expected.
- **Empty files and files of only comments** are valid Turtle, TriG, N-Triples and N-Quads: they load
  and add nothing (``load_file`` returns 0). An empty JSON-LD or RDF/XML file is not valid JSON or XML
  and is refused.
- **Nesting**: the RDF parsers of Oxigraph do not recurse, so 100,000 nested lists or ``[ ]`` load;
  JSON-LD stops at 65,536 levels with a syntax error. Oxigraph's SPARQL parser does recurse and would
  crash the interpreter on thousands of nested groups, so queries nested deeper than
  :data:`MAX_QUERY_NESTING` brackets are refused before they reach it.
- **Network**: ``SERVICE`` clauses are refused unless the caller passes ``allow_network=True``
  (found by parsing the query with rdflib's SPARQL parser, so ``SERVICE`` in a comment, a string or an
  IRI is not mistaken for one); JSON-LD remote ``@context`` documents are never fetched (Oxigraph has
  no document loader; the error says to put the context inline); ``owl:imports`` are never followed
  (neither by the loaders nor by validation).

Examples
--------
>>> encoding_problem(b"\\xff\\xfe<\\x00")
'UTF-16 (little-endian, with a byte-order mark)'
>>> encoding_problem("<urn:a> <urn:b> \\"caf\\u00e9\\" .".encode("utf-8")) is None
True
>>> uses_service("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/sparql>")
False
>>> uses_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
True
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import LoadError, MissingFileError, QueryError, RdfSyntaxError

__all__ = [
    "MAX_QUERY_NESTING",
    "HEAD_BYTES",
    "check_input_file",
    "encoding_problem",
    "rdf_source",
    "rdf_syntax_error",
    "check_text_file",
    "csv_rows",
    "load_json",
    "check_query",
    "check_shapes_file",
    "check_shapes_queries",
    "uses_service",
    "query_nesting",
    "cheap_to_canonicalize",
    "MAX_AMBIGUOUS_BLANK_NODES",
]

#: Deepest nesting of ``{ ( [`` a SPARQL query may have. Oxigraph's parser recurses per level and
#: crashed the interpreter (stack overflow) at about 5,000 levels on an 8 MB stack; real queries
#: stay below 20.
MAX_QUERY_NESTING = 256

#: How much of a file is sniffed for byte-order marks, NUL bytes and the encoding.
HEAD_BYTES = 1 << 16

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian, with a byte-order mark)"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian, with a byte-order mark)"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian, with a byte-order mark)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian, with a byte-order mark)"),
)

_EXPECTED = "expected UTF-8 (save the file as UTF-8)"


# -- files ---------------------------------------------------------------------------


def check_input_file(path: str | Path, *, what: str = "an RDF file") -> Path:
    """Check that ``path`` is a regular file this process may read.

    Raises
    ------
    MissingFileError
        If nothing is there.
    LoadError
        If it is a folder, or cannot be read (permissions).
    """
    import stat

    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise MissingFileError(path) from None
    except PermissionError:  # a folder on the way may not be entered
        raise LoadError(f"{path}: cannot be read (permission denied); make it readable to this user.") from None
    except (OSError, ValueError) as exc:  # a name too long, a NUL in the path, a loop of links
        raise LoadError(f"{path}: cannot be opened ({getattr(exc, 'strerror', None) or exc}).") from None
    if stat.S_ISDIR(mode):
        raise LoadError(f"{path}: is a folder, not a file; give the path of {what}.")
    if not stat.S_ISREG(mode):
        raise LoadError(f"{path}: not a regular file; give the path of {what}.")
    # os.access answers for the real user: root passes it whatever the mode (and may read anyway).
    if not os.access(path, os.R_OK):
        raise LoadError(f"{path}: cannot be read (permission denied); make it readable to this user.")
    return path


def _read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(HEAD_BYTES)
    except PermissionError:
        raise LoadError(f"{path}: cannot be read (permission denied); make it readable to this user.") from None
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read ({exc.strerror or exc}).") from None


def encoding_problem(head: bytes, *, final: bool = False) -> str | None:
    """The encoding ``head`` (the start of a file) is in, when it is not UTF-8; None for UTF-8.

    A UTF-8 byte-order mark counts as UTF-8. ``final`` says ``head`` is the whole file (else an
    incomplete character at its end is not an error).
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head:
        return _nul_encoding(head)
    return None if _utf8_error(head, final=final) is None else _non_utf8_name(head)


def _nul_encoding(head: bytes) -> str:
    """UTF-16 without a byte-order mark shows NUL bytes at every other position (for ASCII text)."""
    even, odd = head[0::2], head[1::2]
    if even and odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "UTF-16 (little-endian, without a byte-order mark)"
    if even and even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "UTF-16 (big-endian, without a byte-order mark)"
    return "binary data (NUL bytes), not text"


def _non_utf8_name(head: bytes) -> str:
    """Latin-1/Windows-1252 text has few control characters; anything else is called binary."""
    text = head.decode("latin-1")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n" or 0x7F <= ord(ch) < 0xA0)
    if controls <= max(2, len(text) // 100):
        return "Latin-1 or Windows-1252"
    return "binary data, not text"


def _utf8_error(data: bytes, *, final: bool) -> int | None:
    """Byte offset of the first byte that is not UTF-8, or None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(data, final=final)
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    return line, len(before[start:].decode("utf-8", errors="replace")) + 1


def _encoding_error(path: Path, head: bytes, found: str, *, rdf: bool) -> LoadError:
    reason = f"the file is {found}; {_EXPECTED}"
    offset = None
    if not found.startswith(("UTF-16", "UTF-32")):
        candidates = [i for i in (_utf8_error(head, final=False), head.find(b"\x00")) if i is not None and i >= 0]
        offset = min(candidates) if candidates else None
    line, column = _line_column(head, offset) if offset is not None else (1, 1)
    if rdf:
        return RdfSyntaxError(reason, path=path, line=line, column=column)
    return LoadError(f"{path}, line {line}, column {column}: {reason}.")


def rdf_source(path: str | Path) -> dict[str, Any]:
    """Check an RDF file and return what to hand to ``Store.load``: ``{"path": p}`` or ``{"data": b}``.

    The content is given (``data``) only when a UTF-8 byte-order mark has to be skipped, which
    Oxigraph's parsers do not do themselves.

    Raises
    ------
    MissingFileError, LoadError
        See :func:`check_input_file`.
    RdfSyntaxError
        If the file is not UTF-8 (names the encoding found, the line and column).
    """
    path = check_input_file(path)
    head = _read_head(path)
    found = encoding_problem(head, final=len(head) < HEAD_BYTES)
    if found is not None:
        raise _encoding_error(path, head, found, rdf=True)
    if head.startswith(codecs.BOM_UTF8):
        return {"data": path.read_bytes()[len(codecs.BOM_UTF8):]}
    return {"path": path}


def rdf_syntax_error(exc: SyntaxError, path: Path | None, *, data: bytes | None = None) -> RdfSyntaxError:
    """Turn a parser's ``SyntaxError`` into an :class:`RdfSyntaxError` that says what was expected.

    Adds what Oxigraph leaves out: the encoding when the bytes are not UTF-8 further into the file
    than :func:`rdf_source` looked, the advice for a remote JSON-LD context, and the line and column
    of an ill-formed RDF/XML document (found with expat, which does not recurse).
    """
    reason = str(exc.msg if exc.msg else exc)
    if ": " in reason and reason.startswith("Parser error"):
        reason = reason.split(": ", 1)[1]
    line, column = exc.lineno, exc.offset
    if "utf-8" in reason.lower() or "utf8" in reason.lower():
        reason = f"the file is not UTF-8 here (Latin-1 or Windows-1252, or binary data); {_EXPECTED}"
    elif "No scheme found" in reason or "relative IRI" in reason.lower():
        reason = f"{reason.rstrip('.')}: a relative IRI and no base; expected an absolute IRI (or an @base line before it)"
    elif "has not been declared" in reason:
        reason = f"{reason.rstrip('.')}; expected a @prefix line declaring it before its first use"
    elif "LoadDocumentCallback" in reason or "remote context" in reason.lower():
        reason = (
            "the JSON-LD document refers to a remote @context, and the library never fetches documents "
            "from the network; expected the context inline (\"@context\": {...}) or no context"
        )
    if line is None and path is not None and path.suffix.lower() in (".rdf", ".owl", ".xml"):
        line, column = _xml_position(path, data)
    return RdfSyntaxError(reason, path=path, line=line, column=column)


def _xml_position(path: Path, data: bytes | None) -> tuple[int | None, int | None]:
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        if data is not None:
            parser.Parse(data, True)
        else:
            with open(path, "rb") as handle:
                parser.ParseFile(handle)
    except expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    except (OSError, RecursionError, MemoryError):
        pass
    return None, None


def check_shapes_file(path: str | Path) -> None:
    """Parse a SHACL shapes file (Turtle) with Oxigraph, which reports the line and column of an error.

    Raises
    ------
    ShapesError
        If the file is missing, unreadable, not UTF-8 or not valid Turtle.
    """
    import pyoxigraph as ox

    from .errors import ShapesError

    path = Path(path)
    try:
        source = rdf_source(path)
        if "path" in source:
            for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                pass
        else:
            for _ in ox.parse(source["data"], format=ox.RdfFormat.TURTLE):
                pass
    except MissingFileError:
        raise ShapesError(f"{path}: no such shapes file; give the path of a SHACL shapes file (Turtle).") from None
    except LoadError as exc:
        raise ShapesError(f"The shapes could not be read: {exc}") from None
    except SyntaxError as exc:
        raise ShapesError(f"The shapes are not valid Turtle: {rdf_syntax_error(exc, path)}") from None


def check_shapes_queries(shapes: Any) -> None:
    """Refuse SHACL-SPARQL in a shapes graph that would reach the network or crash the parser.

    pySHACL runs ``sh:select``/``sh:ask``/``sh:construct``/``sh:update`` with rdflib, whose engine
    would send a ``SERVICE`` request; shapes from users get the same rule as queries.

    Raises
    ------
    ShapesError
        Naming the shape's query that has a ``SERVICE`` clause or nests too deeply.
    """
    from rdflib.namespace import SH

    from .errors import ShapesError

    for predicate in (SH.select, SH.ask, SH.construct, SH.update):
        for node, text in shapes.subject_objects(predicate):
            try:
                check_query(str(text))
            except QueryError as exc:
                raise ShapesError(f"The shapes' {predicate.n3(shapes.namespace_manager)} of {node.n3()} is refused: {exc}") from None


# -- text files: CSV and JSON --------------------------------------------------------


def check_text_file(path: str | Path, *, what: str) -> Path:
    """Check that ``path`` is a readable UTF-8 text file (a UTF-8 byte-order mark is allowed).

    The whole file is checked, a megabyte at a time, so that a decoding error never surfaces
    halfway through an import.

    Raises
    ------
    MissingFileError, LoadError
        If the file is missing, a folder, unreadable, or not UTF-8 (the message names the encoding
        found and the line and column of the first byte that is not UTF-8).
    """
    path = check_input_file(path, what=what)
    head = _read_head(path)
    found = encoding_problem(head, final=len(head) < HEAD_BYTES)
    if found is not None:
        raise _encoding_error(path, head, found, rdf=False)
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, offset_in_chunk = 1, 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if b"\x00" in chunk:
                nul_line = line + chunk[: chunk.index(b"\x00")].count(b"\n")
                raise LoadError(
                    f"{path}, line {nul_line}: the file holds NUL bytes "
                    f"(binary data, not text); {_EXPECTED}."
                )
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                offset_in_chunk = exc.start
                bad_line = line + chunk[:offset_in_chunk].count(b"\n")
                raise LoadError(
                    f"{path}, line {bad_line}: the file is not UTF-8 here ({_non_utf8_name(chunk)}); {_EXPECTED}."
                ) from None
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise LoadError(f"{path}, line {line}: the file ends in the middle of a character; {_EXPECTED}.") from None
    return path


def csv_rows(reader: Iterable[list[str]], path: Path) -> Iterator[list[str]]:
    """Rows of a ``csv.reader``, its errors (a field over the size limit, a stray quote) as LoadError."""
    iterator = iter(reader)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except csv.Error as exc:
            where = getattr(reader, "line_num", None)
            at = f", line {where}" if where else ""
            raise LoadError(f"{path}{at}: not a readable CSV row ({exc}); expected comma-separated cells.") from None
        yield row


def load_json(path: str | Path, *, what: str = "a JSON file") -> Any:
    """Parse a UTF-8 JSON file; every failure is a LoadError naming the line and column.

    Raises
    ------
    MissingFileError, LoadError
        If the file is missing, not UTF-8, not JSON, or nested too deeply for Python's parser.
    """
    path = check_text_file(path, what=what)
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise LoadError(f"{path}, line {exc.lineno}, column {exc.colno}: not JSON ({exc.msg}); expected {what}.") from None
    except RecursionError:
        raise LoadError(f"{path}: the JSON is nested too deeply to read; expected {what}.") from None


# -- SPARQL --------------------------------------------------------------------------

# Tokens outside which brackets and keywords count: comments, strings (long ones first) and IRIs.
_SPARQL_SKIP = re.compile(
    r"""
      \#[^\n\r]*
    | '''(?:[^'\\]|\\.|'(?!''))*'''
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\n\r]|\\.)*'
    | "(?:[^"\\\n\r]|\\.)*"
    | <[^<>"{}|^`\\\x00-\x20]*>
    """,
    re.VERBOSE | re.DOTALL,
)
_WORD = re.compile(r"[?$]?[A-Za-z_][\w\-.:]*")


def _code_only(text: str) -> str:
    """The query with comments, strings and IRIs blanked out (each replaced by a space)."""
    return _SPARQL_SKIP.sub(" ", text)


def query_nesting(text: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` in a query, outside strings, comments and IRIs.

    >>> query_nesting("SELECT * WHERE { { ?s ?p ?o } } # {{{{")
    2
    """
    depth = deepest = 0
    for ch in _code_only(text):
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth = max(depth - 1, 0)
    return deepest


def _lexical_service(text: str) -> bool:
    """Whether a ``SERVICE`` keyword stands outside comments, strings and IRIs (not a prefixed name)."""
    return any(m.group(0).lower() == "service" for m in _WORD.finditer(_code_only(text)))


def _parsed_service(node: Any) -> bool:
    """Walk rdflib's parse tree for a ``ServiceGraphPattern``; iterative, so deep trees are safe."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))
    return False


def uses_service(text: str) -> bool:
    """Whether a SPARQL query has a ``SERVICE`` clause (a federated call to another endpoint).

    The query is parsed with rdflib's SPARQL parser and its tree searched for a service pattern, so
    a ``SERVICE`` in a comment, a string or an IRI does not count. Queries rdflib cannot parse (an
    extension, or nesting beyond its recursion limit) are judged by a scan that skips comments,
    strings and IRIs. Queries without the word at all are not parsed.
    """
    if "service" not in text.lower():
        return False
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except (ParseException, RecursionError, ValueError, TypeError, AttributeError):
        return _lexical_service(text)
    return _parsed_service(tree)


def check_query(text: str, *, allow_network: bool = False) -> None:
    """Refuse a query that would crash the parser or reach the network.

    Raises
    ------
    QueryError
        If the query is nested deeper than :data:`MAX_QUERY_NESTING`, or has a ``SERVICE``
        clause and ``allow_network`` is false.
    """
    if not isinstance(text, str):
        raise QueryError(f"A SPARQL query is text; got a {type(text).__name__}.")
    refusal = _refusal(text, allow_network)
    if refusal is not None:
        raise QueryError(refusal)


@lru_cache(maxsize=512)  # the same (named) query text is checked once, not at every call
def _refusal(text: str, allow_network: bool) -> str | None:
    """Why :func:`check_query` refuses ``text``, or None."""
    depth = query_nesting(text)
    if depth > MAX_QUERY_NESTING:
        return f"The SPARQL query nests {{ }}, ( ) or [ ] {depth} levels deep; expected at most {MAX_QUERY_NESTING}."
    if not allow_network and uses_service(text):
        return (
            "The SPARQL query has a SERVICE clause, which would send a request to another endpoint; "
            "pass allow_network=True (CLI: --allow-network) to allow it."
        )
    return None


# -- output --------------------------------------------------------------------------

#: Most blank nodes that share their first-degree hash (RDFC-1.0) a graph may have and still be
#: canonicalised on export. Such nodes need the algorithm's n-degree step, which grows steeply:
#: a chain of 100 nested ``[ ]`` took 0.1 s, 300 took 6 s and 100,000 crashed the interpreter.
MAX_AMBIGUOUS_BLANK_NODES = 128


def cheap_to_canonicalize(quads: Iterable[Any]) -> bool:
    """Whether RDFC-1.0 can name the blank nodes of ``quads`` quickly (few look alike).

    Blank nodes are grouped by the quads that mention them, the node itself written ``a`` and
    every other blank node ``z`` (the first-degree hash of RDFC-1.0). Only nodes in groups of two
    or more need the expensive step; when more than :data:`MAX_AMBIGUOUS_BLANK_NODES` do, the
    export keeps the stored labels instead (the text is still the same graph, only its blank-node
    labels may differ from one load to the next).

    >>> import pyoxigraph as ox
    >>> chain = ox.parse(b"<urn:a> <urn:p> " + b"[ <urn:p> " * 300 + b"1" + b" ]" * 300 + b" .",
    ...                  format=ox.RdfFormat.TURTLE)
    >>> cheap_to_canonicalize(list(chain))
    False
    """
    import pyoxigraph as ox

    mentions: dict[Any, list[tuple[Any, ...]]] = {}
    for q in quads:
        terms = (q.subject, q.predicate, q.object, getattr(q, "graph_name", None))
        for term in terms:
            if isinstance(term, ox.BlankNode):
                mentions.setdefault(term, []).append(terms)
    groups: dict[tuple[Any, ...], int] = {}
    for node, found in mentions.items():
        signature = tuple(
            sorted(
                tuple("a" if t == node else "z" if isinstance(t, ox.BlankNode) else str(t) for t in terms)
                for terms in found
            )
        )
        groups[signature] = groups.get(signature, 0) + 1
    return sum(size for size in groups.values() if size > 1) <= MAX_AMBIGUOUS_BLANK_NODES
