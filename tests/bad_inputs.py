"""The bad RDF inputs the reliability tests try, shared by tests/test_bad_input.py (the library)
and tests/test_jena.py (Apache Jena must agree that the syntax errors are errors).

Each case is a file name, its bytes, and what the user must see: the error class, a pattern of
the message, and the line and column (None when the case loads). docs/bad-input.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

_TRIPLE = '<urn:ex:a> <urn:ex:p> "caf\u00e9" .\n'


@dataclass(frozen=True)
class BadRdf:
    id: str
    name: str
    content: bytes
    error: str | None  # class name in sistercity_kg, None when the file loads
    pattern: str = ""  # regular expression the message must match
    line: int | None = None
    column: int | None = None
    added: int = 0  # quads added when it loads
    syntax: bool = False  # a plain syntax error: Jena's parser must call it broken too


def _nested(depth: int) -> bytes:
    return b"<urn:ex:a> <urn:ex:p> " + b"(" * depth + b")" * depth + b" .\n"


def _brackets(depth: int) -> bytes:
    return b"<urn:ex:a> <urn:ex:p> " + b"[ <urn:ex:p> " * depth + b"1" + b" ]" * depth + b" .\n"


CASES: list[BadRdf] = [
    BadRdf("turtle-missing-object", "bad.ttl", b"<urn:ex:a> <urn:ex:p> .\n", "RdfSyntaxError",
           r"is not a valid RDF object", 1, 23, syntax=True),
    BadRdf("trig-unclosed-graph", "bad.trig", b"<urn:ex:g> {\n  <urn:ex:a> <urn:ex:p> <urn:ex:o> .\n", "RdfSyntaxError",
           r"[Uu]nexpected end", 3, 1, syntax=True),
    BadRdf("ntriples-unterminated-literal", "bad.nt", b'<urn:ex:a> <urn:ex:p> "x .\n', "RdfSyntaxError",
           r"", 1, None, syntax=True),
    BadRdf("nquads-five-terms", "bad.nq", b"<urn:ex:a> <urn:ex:p> <urn:ex:o> <urn:ex:g> <urn:ex:h> .\n", "RdfSyntaxError",
           r"followed by a dot", 1, 45, syntax=True),
    BadRdf("jsonld-broken-json", "bad.jsonld", b'{"@id": "urn:ex:a", "urn:ex:p": [}', "RdfSyntaxError",
           r"closing curly bracket", 1, 34, syntax=True),
    BadRdf("rdfxml-unclosed-element", "bad.rdf",
           b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description>\n</rdf:RDF>\n',
           "RdfSyntaxError", r"expected `</rdf:Description>`", 3, 3, syntax=True),
    BadRdf("unknown-prefix", "prefix.ttl", b"ex:a ex:p ex:o .\n", "RdfSyntaxError",
           r"prefix ex: has not been declared; expected a @prefix line", 1, 1, syntax=True),
    BadRdf("relative-iri-no-base", "relative.ttl", b"<a> <urn:ex:p> <urn:ex:o> .\n", "RdfSyntaxError",
           r"relative IRI and no base; expected an absolute IRI", 1, 1),
    BadRdf("latin-1", "latin1.ttl", _TRIPLE.encode("latin-1"), "RdfSyntaxError",
           r"is Latin-1 or Windows-1252; expected UTF-8", 1, 27),
    BadRdf("utf-16-with-bom", "utf16.ttl", _TRIPLE.encode("utf-16"), "RdfSyntaxError",
           r"is UTF-16 \(little-endian, with a byte-order mark\); expected UTF-8", 1, 1),
    BadRdf("utf-16-without-bom", "utf16le.ttl", _TRIPLE.encode("utf-16-le"), "RdfSyntaxError",
           r"is UTF-16 \(little-endian, without a byte-order mark\); expected UTF-8", 1, 1),
    BadRdf("utf-16-big-endian-without-bom", "utf16be.nt", _TRIPLE.encode("utf-16-be"), "RdfSyntaxError",
           r"is UTF-16 \(big-endian, without a byte-order mark\); expected UTF-8", 1, 1),
    BadRdf("utf-32-with-bom", "utf32.ttl", _TRIPLE.encode("utf-32"), "RdfSyntaxError",
           r"is UTF-32 \(little-endian, with a byte-order mark\); expected UTF-8", 1, 1),
    BadRdf("utf-8-bom-accepted", "bom.ttl", _TRIPLE.encode("utf-8-sig"), None, added=1),
    BadRdf("binary-garbage", "garbage.ttl", bytes(range(256)) * 16, "RdfSyntaxError",
           r"binary data \(NUL bytes\), not text; expected UTF-8", 1, 1),
    BadRdf("binary-garbage-without-nul", "garbage.nt", bytes(range(0x80, 0x100)) * 16, "RdfSyntaxError",
           r"binary data, not text; expected UTF-8", 1, 1),
    BadRdf("empty-turtle", "empty.ttl", b"", None),
    BadRdf("empty-ntriples", "empty.nt", b"", None),
    BadRdf("empty-trig", "empty.trig", b"", None),
    BadRdf("only-comments", "comments.ttl", b"# nothing here yet\n# only comments\n", None),
    BadRdf("only-comments-nquads", "comments.nq", b"# a comment\n", None),
    BadRdf("empty-jsonld", "empty.jsonld", b"", "RdfSyntaxError", r"", 1, None, syntax=True),
    BadRdf("empty-rdfxml", "empty.rdf", b"", None),  # Oxigraph reads it as no triples (Jena: premature end of file)
    BadRdf("nested-lists-100k", "lists.ttl", _nested(100_000), None, added=199_999),
    BadRdf("nested-brackets-100k", "brackets.ttl", _brackets(100_000), None, added=100_001),
    BadRdf("nested-jsonld-100k", "nested.jsonld",
           b'{"@id": "urn:ex:a", "urn:ex:p": ' + b'{"urn:ex:p": ' * 100_000 + b'"x"' + b"}" * 100_001,
           "RdfSyntaxError", r"Max stack size", 1, None),
    BadRdf("non-ascii-path", "caf\u00e9-\u6771\u4eac-bad.ttl", b"<urn:ex:a> <urn:ex:p> .\n", "RdfSyntaxError",
           "caf\u00e9-\u6771\u4eac-bad.ttl, line 1, column 23", 1, 23, syntax=True),
]
