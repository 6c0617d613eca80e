"""Pictures and exchange files of the network projections.

=============  =====================================================================
suffix         what is written
=============  =====================================================================
``.png``       a figure for a paper (matplotlib, Agg; 150 dpi): labelled nodes coloured
               by type, edges coloured by field, a legend and a title naming the data
``.svg``       the same figure as vector graphics
``.html``      an interactive page that works offline: the SVG and a small script are
               inline (no web fonts, no CDN, nothing fetched); hover to see neighbours,
               click for the attributes, drag nodes, scroll to zoom, tick to hide types
``.graphml``   GraphML for Gephi, yEd or Cytoscape (attributes flattened to scalars)
``.gexf``      GEXF for Gephi (same flattening)
=============  =====================================================================

matplotlib is an optional extra (``pip install "sistercity-kg[pictures]"``); PNG and SVG
raise :class:`~sistercity_kg.errors.MissingDependencyError` without it. HTML, GraphML and GEXF
need only networkx. The figure is drawn on a :class:`matplotlib.figure.Figure` with its own
canvas, so pyplot's global state (the current figure, the backend) is never touched.

Layout: up to 60 nodes are drawn in layers by type (places and jurisdictions, actors and
programmes, partnerships, activities, fields; ordered within a layer by country and by
their neighbours to keep lines from crossing) so that labels never collide; larger networks
use a seeded force-directed layout and label only the best-connected nodes. Provenance edges
(``wasDerivedFrom``) are not drawn when they would fan out to most nodes; the source is
named under the figure instead.

Examples
--------
>>> import sistercity_kg as sck, tempfile, pathlib
>>> g = sck.load().network("actors")
>>> with tempfile.TemporaryDirectory() as d:
...     path = render(g, pathlib.Path(d) / "actors.graphml")
...     sorted(nx.read_graphml(path).nodes[n]["label"] for n in nx.read_graphml(path))
['Bandung City Government', 'Seoul Metropolitan Government']
"""

from __future__ import annotations

import html
import io
import json
import math
import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import MissingDependencyError, UnsupportedFormatError
from .graph import atomic_write_bytes
from .network import local_name

__all__ = [
    "FORMATS",
    "render",
    "figure",
    "to_html",
    "flatten",
    "layout",
    "title_of",
    "GROUP_STYLE",
]

#: Output formats by suffix.
FORMATS = (".png", ".svg", ".html", ".graphml", ".gexf")

#: Colour (Okabe–Ito, safe for colour-blind readers), marker and legend name per node group.
GROUP_STYLE: dict[str, tuple[str, str, str]] = {
    "actor": ("#0072B2", "o", "Actor (sub-state government)"),
    "jurisdiction": ("#56B4E9", "s", "Jurisdiction (city, province)"),
    "partnership": ("#CC79A7", "D", "Partnership"),
    "agreement": ("#F0C3DD", "D", "Agreement"),
    "activity": ("#E69F00", "o", "Cooperation activity"),
    "programme": ("#882255", "h", "Programme"),
    "field": ("#009E73", "p", "Field of cooperation"),
    "place": ("#BBBBBB", "^", "Place"),
    "source": ("#555555", "v", "Source document"),
    "other": ("#DDDDDD", "o", "Other"),
}

#: Colours of fields (ColorBrewer Dark2 then Set1), assigned to fields in sorted order.
FIELD_COLOURS = (
    "#1B9E77", "#D95F02", "#7570B3", "#E7298A", "#66A61E", "#E6AB02", "#A6761D",
    "#E41A1C", "#377EB8", "#4DAF4A", "#984EA3", "#FF7F00", "#A65628", "#F781BF",
)
_NO_FIELD = "#4D4D4D"

#: Layers (top to bottom) of the layered layout.
_RANK = {
    "jurisdiction": 0, "place": 0, "programme": 0,
    "actor": 1,
    "partnership": 2, "agreement": 2, "source": 2,
    "activity": 3,
    "field": 4,
}
_KIND_NAMES = {
    "actors": "actors and their partnerships",
    "cooperation": "cooperation network",
    "fields": "actors and fields of cooperation",
    "policy-transfer": "policy transfer (emulated → emulating)",
}
_LAYERED_MAX = 60


# -- attributes and titles ---------------------------------------------------------------


def _group(data: dict[str, Any]) -> str:
    group = data.get("group")
    return group if group in GROUP_STYLE else "other"


def _field_colours(graph: nx.Graph) -> dict[str, str]:
    """A colour for each field named by an edge or a field node, stable across pictures."""
    fields: set[str] = set()
    for *_, data in graph.edges(data=True):
        if data.get("field"):
            fields.add(str(data["field"]))
        fields.update(str(f) for f in data.get("fields", ()) or ())
    fields.update(n for n, g in graph.nodes(data="group") if g == "field")
    return {f: FIELD_COLOURS[i % len(FIELD_COLOURS)] for i, f in enumerate(sorted(fields))}


def _field_label(graph: nx.Graph, iri: str) -> str:
    if iri in graph and graph.nodes[iri].get("label"):
        return str(graph.nodes[iri]["label"])
    for *_, data in graph.edges(data=True):
        for f, label in zip(data.get("fields", ()) or (), data.get("field_labels", ()) or ()):
            if f == iri:
                return str(label)
    return local_name(iri).replace("-", " ")


def title_of(graph: nx.Graph) -> str:
    """A title naming the data and the kind of network, e.g.
    ``"Bandung–Seoul Sister City cooperation: cooperation network"``."""
    kind = graph.graph.get("kind", "")
    names = sorted(set(graph.graph.get("partnerships") or ()))
    if len(names) == 1:
        data = names[0]
    elif names:
        data = f"{len(names)} partnerships"
    else:
        data = str(graph.graph.get("data") or "sistercity-kg")
    return f"{data}: {_KIND_NAMES.get(kind, kind or 'network')}"


def _subtitle(graph: nx.Graph) -> str:
    counts: dict[str, int] = defaultdict(int)
    for _, g in graph.nodes(data="group"):
        counts[g or "other"] += 1
    parts = [f"{n} {g if n == 1 else g + 's' if not g.endswith('y') else g[:-1] + 'ies'}"
             for g, n in sorted(counts.items(), key=lambda kv: _RANK.get(kv[0], 9))]
    filters = [f"{k} = {local_name(str(graph.graph[k])) if k != 'as_of' else graph.graph[k]}"
               for k in ("field", "status", "as_of") if graph.graph.get(k)]
    links = graph.number_of_edges()
    text = ", ".join(parts) + f"; {links} link{'' if links == 1 else 's'}"
    if filters:
        text += "  ·  filtered by " + ", ".join(filters)
    return text


def _wrap(text: str, width: int = 22) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


# -- layout ------------------------------------------------------------------------------


def layout(graph: nx.Graph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1] x [0, 1]: layered by type for small networks, force-directed otherwise.

    In the layered layout each country gets a block of columns (the first country on the
    left, the last on the right, nodes without a country between them), so a bilateral
    partnership reads as two sides; within a block nodes follow their neighbours
    (barycentre ordering), which keeps lines from crossing.
    """
    if len(graph) == 0:
        return {}
    if len(graph) > _LAYERED_MAX:
        pos = nx.spring_layout(nx.Graph(graph), seed=seed, k=1.5 / math.sqrt(len(graph)), iterations=100)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        span_x = (max(xs) - min(xs)) or 1.0
        span_y = (max(ys) - min(ys)) or 1.0
        return {n: ((p[0] - min(xs)) / span_x, (p[1] - min(ys)) / span_y) for n, p in pos.items()}
    undirected = nx.Graph(graph)
    kind = graph.graph.get("kind")
    countries = sorted({str(c) for _, c in graph.nodes(data="country") if c})
    # Block of each country: first country left (0), nodes without country in the middle (1), others right.
    def block(n: str) -> int:
        c = graph.nodes[n].get("country")
        if not c:
            return 1
        i = countries.index(str(c))
        return 0 if i == 0 else 2 + i - 1
    ranks: dict[int, list[str]] = defaultdict(list)
    for n, data in graph.nodes(data=True):
        if kind == "policy-transfer":
            rank = 0 if graph.in_degree(n) == 0 else 1  # type: ignore[union-attr]
        else:
            rank = _RANK.get(_group(data), 5)
        ranks[rank].append(n)
    levels = [sorted(ranks[r], key=lambda n: (block(n), str(graph.nodes[n].get("label", n)))) for r in sorted(ranks)]
    blocks = sorted({block(n) for level in levels for n in level})
    slots = {b: max(sum(1 for n in level if block(n) == b) for level in levels) for b in blocks}
    total = sum(slots.values())
    offset, acc = {}, 0
    for b in blocks:
        offset[b] = acc
        acc += slots[b]

    def place(levels: list[list[str]]) -> dict[str, float]:
        xs: dict[str, float] = {}
        for level in levels:
            present = sorted({block(n) for n in level})
            if len(present) == 1:  # one block only: use the whole width
                for i, n in enumerate(level):
                    xs[n] = (i + 0.5) / len(level)
                continue
            for b in present:
                members = [n for n in level if block(n) == b]
                for i, n in enumerate(members):
                    xs[n] = (offset[b] + (i + 0.5) * slots[b] / len(members)) / total
        return xs

    # Barycentre sweeps: within its block, order each layer by the mean position of its neighbours.
    for _ in range(6):
        xs = place(levels)
        for li, level in enumerate(levels):
            def key(n: str, li: int = li) -> tuple[int, float, str]:
                others = [xs[m] for m in undirected[n] if m in xs and m not in levels[li]]
                return (block(n), sum(others) / len(others) if others else xs[n], str(n))
            levels[li] = sorted(level, key=key)
    xs = place(levels)
    pos: dict[str, tuple[float, float]] = {}
    for li, level in enumerate(levels):
        depth = li / max(len(levels) - 1, 1) if len(levels) > 1 else 0.5
        for n in level:
            if kind == "policy-transfer":  # the transfer reads left to right
                pos[n] = (0.2 + 0.6 * depth, 0.5 if len(level) == 1 else 1.0 - xs[n])
            else:  # a margin on both sides keeps the outermost labels inside the figure
                pos[n] = (0.04 + 0.92 * xs[n], 1.0 - depth)
    return pos


# -- matplotlib --------------------------------------------------------------------------


def _matplotlib() -> Any:
    try:
        import matplotlib  # noqa: F401
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependencyError(
            "PNG and SVG pictures need matplotlib: pip install \"sistercity-kg[pictures]\" "
            "(HTML, GraphML and GEXF work without it)."
        ) from None
    return Figure


def _provenance_hidden(graph: nx.Graph) -> bool:
    sources = [n for n, g in graph.nodes(data="group") if g == "source"]
    return any(nx.Graph(graph).degree(s) > 6 for s in sources)


def figure(graph: nx.Graph, *, title: str | None = None, width: float = 13.0, height: float | None = None) -> Any:
    """Draw a network projection on a new :class:`matplotlib.figure.Figure` (pyplot untouched).

    Raises
    ------
    MissingDependencyError
        If matplotlib is not installed.
    """
    Figure = _matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    hide_sources = _provenance_hidden(graph)
    shown = graph.copy()
    source_names: list[str] = []
    if hide_sources:
        for n, g in list(shown.nodes(data="group")):
            if g == "source":
                source_names.append(str(shown.nodes[n].get("label", n)))
                shown.remove_node(n)
    pos = layout(shown)
    layered = len(shown) <= _LAYERED_MAX
    levels = len({round(y, 6) for _, y in pos.values()}) or 1
    if height is None:
        height = (3.4 + 1.45 * levels if levels > 1 else 4.6) if layered else width * 0.8
    fig = Figure(figsize=(width, height), dpi=150)
    ax = fig.add_axes((0.02, 0.13, 0.96, 0.75) if layered else (0.02, 0.12, 0.96, 0.76))
    ax.set_axis_off()
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.16, 1.08)
    colours = _field_colours(shown)
    directed = shown.is_directed()
    multi = shown.is_multigraph()
    size = {"actor": 900, "partnership": 700, "jurisdiction": 520}

    def point(n: str) -> tuple[float, float]:
        return pos[n]

    # Edges first, under the nodes. Parallel edges and multi-field edges become arcs side by side.
    pairs: dict[frozenset[str], int] = defaultdict(int)
    edge_iter = shown.edges(keys=True, data=True) if multi else ((u, v, None, d) for u, v, d in shown.edges(data=True))
    for u, v, _key, data in edge_iter:
        strands = [str(f) for f in (data.get("fields") or [])] or [str(data.get("field") or "")]
        for strand in strands:
            slot = pairs[frozenset((u, v))]
            pairs[frozenset((u, v))] += 1
            rad = 0.0 if slot == 0 else (0.12 * ((slot + 1) // 2) * (1 if slot % 2 else -1))
            (x1, y1), (x2, y2) = point(u), point(v)
            between = [n for n, (x, y) in pos.items() if abs(y - y1) < 1e-9 and min(x1, x2) < x < max(x1, x2)]
            if layered and abs(y1 - y2) < 1e-9 and between:  # same layer: bend over the nodes in between
                rad += -0.35 if x2 > x1 else 0.35
            colour = colours.get(strand, _NO_FIELD)
            width_pt = 1.0 + 0.8 * math.log1p(float(data.get("weight", 1)))
            if graph.graph.get("kind") == "actors":
                width_pt = 3.0
            arrow = FancyArrowPatch(
                point(u), point(v), connectionstyle=f"arc3,rad={rad}",
                arrowstyle="-|>" if directed else "-", mutation_scale=12,
                color=colour, lw=width_pt, alpha=0.75 if strand else 0.55,
                shrinkA=14, shrinkB=16, zorder=1,
            )
            ax.add_patch(arrow)
    # Nodes.
    for n, data in shown.nodes(data=True):
        group = _group(data)
        colour, marker, _ = GROUP_STYLE[group]
        if group == "field":
            colour = colours.get(n, colour)
        x, y = point(n)
        ax.scatter([x], [y], s=size.get(group, 420), c=colour, marker=marker, edgecolors="white",
                   linewidths=1.5, zorder=4)
    # Labels below the nodes (layered) or next to the best-connected ones (large networks).
    labelled = set(shown)
    if not layered:
        ranked = sorted(shown, key=lambda n: (-shown.degree(n), str(n)))
        labelled = set(ranked[:30])
    label_boxes: list[tuple[float, float, float, float]] = []
    row_xs: dict[float, list[float]] = defaultdict(list)
    for x, y in pos.values():
        row_xs[round(y, 6)].append(x)
    for n in labelled:
        x, y = point(n)
        label = str(shown.nodes[n].get("label", local_name(n)))
        # Wrap to the room between this node and its neighbours in the row (9 pt ≈ 0.069 in a character).
        gaps = [abs(x - other) for other in row_xs[round(y, 6)] if other != x]
        room = min(gaps + [0.5]) * 0.96 * width
        width_chars = max(10, min(30, int(room * 0.85 / 0.069)))
        wrapped = _wrap(label, width_chars)
        rows = wrapped.split("\n")
        w9 = max(len(r) for r in rows) * 9 * 0.6 / 72 / (width * 0.96) / 2
        label_boxes.append((x - w9, y - 0.055 - len(rows) * 9 * 1.3 / 72 / (height * 0.75) * 1.24, x + w9, y - 0.045))
        ax.text(x, y - 0.055, wrapped, fontsize=9 if layered else 7, ha="center", va="top",
                zorder=5, color="#111111",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
    # Edge labels where they say something the colours do not: roles, emulation, assistance;
    # one label per pair of nodes, so that two links between the same nodes never overprint.
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for u, v, _key, data in (shown.edges(keys=True, data=True) if multi else
                             ((u, v, None, d) for u, v, d in shown.edges(data=True))):
        text = _edge_text(graph.graph.get("kind"), data)
        pair = (u, v) if (u, v) in texts or (v, u) not in texts else (v, u)
        if text and text not in texts[pair]:
            texts[pair].append(text)
    placed: list[tuple[float, float, float, float]] = list(label_boxes)
    char_w = 7.5 * 0.6 / 72 / (width * 0.96) * 1.04  # width of one character in axes units, roughly
    line_h = 7.5 * 1.3 / 72 / (height * 0.75) * 1.24
    for (u, v), found in sorted(texts.items()):
        if not found:
            continue
        text = " · ".join(found)
        (x1, y1), (x2, y2) = point(u), point(v)
        lines = text.split("\n")
        half_w = max(len(line) for line in lines) * char_w / 2 + 0.005
        half_h = len(lines) * line_h / 2 + 0.004
        # Try points along the edge until the label's box overlaps no other label.
        steps = (0.5, 0.4, 0.6, 0.3, 0.7) if graph.graph.get("kind") in ("actors", "policy-transfer") else (
            0.28, 0.36, 0.2, 0.44, 0.52, 0.6)  # near the activity the label belongs to
        for t in steps:
            cx, cy = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
            if graph.graph.get("kind") == "actors" and abs(y1 - y2) < 1e-9:
                cy -= 0.2  # under the strands, clear of the nodes' own labels
            box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                break
        placed.append(box)
        ax.text(cx, cy, text, fontsize=7.5, ha="center", va="center",
                color="#333333", zorder=3, style="italic",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
    # Title, subtitle, legend, footnote.
    fig.text(0.5, 1 - 0.2 / height, title or title_of(graph), ha="center", va="top", fontsize=15, weight="bold")
    fig.text(0.5, 1 - 0.58 / height, _subtitle(graph), ha="center", va="top", fontsize=10, color="#444444")
    handles = []
    present = {_group(d) for _, d in shown.nodes(data=True)}
    for group in [g for g in GROUP_STYLE if g in present]:
        colour, marker, name = GROUP_STYLE[group]
        face = "#FFFFFF" if group == "field" else colour
        handles.append(Line2D([], [], ls="", marker=marker, markersize=10, markerfacecolor=face,
                              markeredgecolor=colour if group == "field" else "white", label=name))
    for f, colour in colours.items():
        handles.append(Line2D([], [], color=colour, lw=3, label=f"field: {_field_label(graph, f)}"))
    if any(not (d.get("field") or d.get("fields")) for *_, d in shown.edges(data=True)):
        handles.append(Line2D([], [], color=_NO_FIELD, lw=2, alpha=0.6, label="link without a field"))
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=min(4, len(handles)), fontsize=9, frameon=False,
                   bbox_to_anchor=(0.5, 0.005), handletextpad=0.5, columnspacing=1.6)
    foot = []
    if source_names:
        foot.append("Every node is derived from " + "; ".join(sorted(set(source_names)))
                    + " (provenance links not drawn).")
    foot.append("Drawn by sistercity-kg from the knowledge graph" + (
        f"; labels in '{graph.graph['lang']}'." if graph.graph.get("lang") else "."))
    fig.text(0.99, 0.0 + 0.003, "  ".join(foot), ha="right", va="bottom", fontsize=7, color="#666666")
    return fig


def _edge_text(kind: str | None, data: dict[str, Any]) -> str:
    if kind == "actors":
        counts = data.get("activities_by_status") or {}
        detail = ", ".join(f"{n} {s.replace('-', ' ')}" for s, n in counts.items())
        text = f"{data.get('label', '')}\n{data.get('activities', 0)} activities"
        return text + (f" ({detail})" if detail else "")
    if kind == "policy-transfer":
        by = data.get("assisted_by_labels")
        return "emulated by" + (f"\n(assisted by {', '.join(by)})" if by else "")
    if kind == "fields":
        return str(data.get("weight", ""))
    label = data.get("label")
    if label == "participant" and data.get("role") and data.get("role") != "participant":
        return str(data["role"])
    if label in ("emulates", "assistedBy", "runBy"):
        return {"emulates": "emulates", "assistedBy": "assisted by", "runBy": "run by"}[label]
    return ""


# -- HTML ------------------------------------------------------------------------------------

_HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #111; }}
header {{ padding: 12px 18px 4px; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }}
header p {{ margin: 0; color: #555; font-size: 13px; }}
main {{ display: flex; gap: 12px; padding: 8px 18px 18px; }}
#canvas {{ flex: 1; border: 1px solid #ddd; border-radius: 6px; background: #fff; min-height: 560px; }}
svg {{ width: 100%; height: 72vh; cursor: grab; user-select: none; }}
aside {{ width: 320px; font-size: 13px; }}
aside h2 {{ font-size: 14px; margin: 12px 0 6px; }}
table {{ border-collapse: collapse; width: 100%; }}
td {{ border-top: 1px solid #eee; padding: 3px 4px; vertical-align: top; word-break: break-word; }}
td:first-child {{ color: #666; white-space: nowrap; }}
.edge {{ fill: none; stroke-opacity: .7; }}
.node text {{ font-size: 12px; paint-order: stroke; stroke: #fff; stroke-width: 4px; pointer-events: none; }}
.node {{ cursor: pointer; }}
.faded {{ opacity: .12; }}
.legend span {{ display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }}
.legend label {{ display: block; margin: 2px 0; }}
</style>
</head>
<body>
<header><h1>{title}</h1><p>{subtitle}</p></header>
<main>
<div id="canvas">{svg}</div>
<aside>
<h2>Selected</h2>
<div id="details"><p>Hover over a node to see its neighbours; click it for its attributes.
Drag nodes to move them, drag the background to pan, scroll to zoom.</p></div>
<h2>Node types</h2><div class="legend" id="groups">{group_legend}</div>
<h2>Fields (link colours)</h2><div class="legend">{field_legend}</div>
<p style="color:#777">Drawn by sistercity-kg; this page needs no network connection.</p>
</aside>
</main>
<script type="application/json" id="graph-data">{data}</script>
<script>
{script}
</script>
</body>
</html>
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.querySelector("#canvas svg");
  var nodes = {}, edges = [], neighbours = {};
  data.nodes.forEach(function (n) { nodes[n.id] = n; neighbours[n.id] = {}; });
  svg.querySelectorAll(".edge").forEach(function (el, i) {
    var e = data.edges[i]; e.el = el; edges.push(e);
    neighbours[e.source][e.target] = true; neighbours[e.target][e.source] = true;
  });
  svg.querySelectorAll(".node").forEach(function (el) { nodes[el.dataset.id].el = el; });
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; }); }
  function show(id) {
    var n = nodes[id], rows = "";
    Object.keys(n.attrs).sort().forEach(function (k) {
      rows += "<tr><td>" + esc(k) + "</td><td>" + esc(n.attrs[k]) + "</td></tr>"; });
    var links = edges.filter(function (e) { return e.source === id || e.target === id; })
      .map(function (e) { var other = e.source === id ? e.target : e.source;
        return "<li>" + esc(e.label || "") + (e.source === id ? " \u2192 " : " \u2190 ") + esc(nodes[other].label) + "</li>"; });
    document.getElementById("details").innerHTML = "<p><b>" + esc(n.label) + "</b><br><code>" + esc(id) +
      "</code></p><table>" + rows + "</table><p>Links:</p><ul>" + links.join("") + "</ul>";
  }
  function highlight(id) {
    Object.keys(nodes).forEach(function (k) {
      nodes[k].el.classList.toggle("faded", id !== null && k !== id && !neighbours[id][k]); });
    edges.forEach(function (e) {
      e.el.classList.toggle("faded", id !== null && e.source !== id && e.target !== id); });
  }
  function path(e) {
    var a = nodes[e.source], b = nodes[e.target], dx = b.x - a.x, dy = b.y - a.y;
    var mx = (a.x + b.x) / 2 - dy * e.bend, my = (a.y + b.y) / 2 + dx * e.bend;
    return "M" + a.x + "," + a.y + " Q" + mx + "," + my + " " + b.x + "," + b.y;
  }
  function redraw(id) {
    var n = nodes[id]; n.el.setAttribute("transform", "translate(" + n.x + "," + n.y + ")");
    edges.forEach(function (e) { if (e.source === id || e.target === id) { e.el.setAttribute("d", path(e)); } });
  }
  var vb = svg.viewBox.baseVal, drag = null, pan = null;
  function toSvg(evt) { var p = svg.createSVGPoint(); p.x = evt.clientX; p.y = evt.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse()); }
  Object.keys(nodes).forEach(function (id) {
    var el = nodes[id].el;
    el.addEventListener("mouseenter", function () { if (!drag) { highlight(id); } });
    el.addEventListener("mouseleave", function () { if (!drag) { highlight(null); } });
    el.addEventListener("click", function () { show(id); });
    el.addEventListener("pointerdown", function (evt) { drag = id; evt.stopPropagation(); });
  });
  svg.addEventListener("pointerdown", function (evt) { pan = {x: evt.clientX, y: evt.clientY, vx: vb.x, vy: vb.y}; });
  window.addEventListener("pointermove", function (evt) {
    if (drag) { var p = toSvg(evt); nodes[drag].x = p.x; nodes[drag].y = p.y; redraw(drag); }
    else if (pan) { var s = vb.width / svg.clientWidth;
      vb.x = pan.vx - (evt.clientX - pan.x) * s; vb.y = pan.vy - (evt.clientY - pan.y) * s; }
  });
  window.addEventListener("pointerup", function () { drag = null; pan = null; });
  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault(); var p = toSvg(evt), f = evt.deltaY > 0 ? 1.15 : 1 / 1.15;
    vb.x = p.x - (p.x - vb.x) * f; vb.y = p.y - (p.y - vb.y) * f; vb.width *= f; vb.height *= f;
  }, {passive: false});
  document.querySelectorAll("#groups input").forEach(function (box) {
    box.addEventListener("change", function () {
      var hidden = {}; document.querySelectorAll("#groups input").forEach(function (b) {
        if (!b.checked) { hidden[b.value] = true; } });
      Object.keys(nodes).forEach(function (k) { nodes[k].el.style.display = hidden[nodes[k].group] ? "none" : ""; });
      edges.forEach(function (e) { e.el.style.display =
        (hidden[nodes[e.source].group] || hidden[nodes[e.target].group]) ? "none" : ""; });
    });
  });
})();
"""


def _scalar(value: Any) -> str:
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def to_html(graph: nx.Graph, *, title: str | None = None) -> str:
    """A self-contained interactive HTML page of the network (inline SVG and script, no assets)."""
    pos = layout(graph)
    width, height = 1400.0, 900.0
    px = {n: (60 + x * (width - 120), 50 + (1 - y) * (height - 110)) for n, (x, y) in pos.items()}
    colours = _field_colours(graph)
    multi = graph.is_multigraph()
    directed = graph.is_directed()
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
             f'aria-label="{html.escape(title or title_of(graph))}">']
    if directed:
        parts.append('<defs><marker id="arrow" viewBox="0 0 10 10" refX="22" refY="5" markerWidth="7" '
                     'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/>'
                     "</marker></defs>")
    edges_json = []
    slots: dict[frozenset[str], int] = defaultdict(int)
    edge_iter = graph.edges(keys=True, data=True) if multi else ((u, v, None, d) for u, v, d in graph.edges(data=True))
    parts.append('<g class="edges">')
    for u, v, key, data in edge_iter:
        strands = [str(f) for f in (data.get("fields") or [])] or [str(data.get("field") or "")]
        for strand in strands:
            slot = slots[frozenset((u, v))]
            slots[frozenset((u, v))] += 1
            bend = 0.0 if slot == 0 else 0.12 * ((slot + 1) // 2) * (1 if slot % 2 else -1)
            (x1, y1), (x2, y2) = px[u], px[v]
            mx, my = (x1 + x2) / 2 - (y2 - y1) * bend, (y1 + y2) / 2 + (x2 - x1) * bend
            colour = colours.get(strand, _NO_FIELD)
            marker = ' marker-end="url(#arrow)"' if directed else ""
            parts.append(f'<path class="edge" d="M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}" '
                         f'stroke="{colour}" stroke-width="2.2"{marker}><title>'
                         f'{html.escape(str(data.get("label", key or "")))}</title></path>')
            edges_json.append({"source": u, "target": v, "bend": bend,
                               "label": str(data.get("label", key or ""))})
    parts.append("</g><g class=\"nodes\">")
    shapes = {"o": "circle", "s": "rect", "D": "diamond", "h": "circle", "p": "circle", "^": "triangle", "v": "triangle"}
    nodes_json = []
    for n, data in graph.nodes(data=True):
        group = _group(data)
        colour, marker, _ = GROUP_STYLE[group]
        if group == "field":
            colour = colours.get(n, colour)
        x, y = px[n]
        r = 13 if group in ("actor", "partnership") else 10
        shape = shapes.get(marker, "circle")
        if shape == "rect":
            glyph = f'<rect x="{-r}" y="{-r}" width="{2 * r}" height="{2 * r}" fill="{colour}" stroke="#fff" stroke-width="2"/>'
        elif shape == "diamond":
            glyph = f'<path d="M0,{-r} L{r},0 L0,{r} L{-r},0 z" fill="{colour}" stroke="#fff" stroke-width="2"/>'
        elif shape == "triangle":
            glyph = f'<path d="M0,{-r} L{r},{r} L{-r},{r} z" fill="{colour}" stroke="#fff" stroke-width="2"/>'
        else:
            glyph = f'<circle r="{r}" fill="{colour}" stroke="#fff" stroke-width="2"/>'
        label = str(data.get("label", local_name(n)))
        lines = textwrap.wrap(label, 24) or [label]
        text = "".join(f'<tspan x="0" dy="{0 if i == 0 else 14}">{html.escape(t)}</tspan>' for i, t in enumerate(lines))
        parts.append(f'<g class="node" data-id="{html.escape(n)}" transform="translate({x:.1f},{y:.1f})">'
                     f"<title>{html.escape(label)}</title>{glyph}"
                     f'<text y="{r + 14}" text-anchor="middle">{text}</text></g>')
        nodes_json.append({"id": n, "label": label, "group": group, "x": round(x, 1), "y": round(y, 1),
                           "attrs": {k: _scalar(v) for k, v in data.items()}})
    parts.append("</g></svg>")
    groups_present = [g for g in GROUP_STYLE if g in {_group(d) for _, d in graph.nodes(data=True)}]
    group_legend = "".join(
        f'<label><input type="checkbox" value="{g}" checked> <span style="background:{GROUP_STYLE[g][0]}"></span>'
        f"{html.escape(GROUP_STYLE[g][2])}</label>" for g in groups_present)
    field_legend = "".join(
        f'<label><span style="background:{c}"></span>{html.escape(_field_label(graph, f))}</label>'
        for f, c in colours.items()) or "<p>none</p>"
    payload = json.dumps({"nodes": nodes_json, "edges": edges_json}, ensure_ascii=False).replace("</", "<\\/")
    return _HTML_TEMPLATE.format(
        lang=html.escape(str(graph.graph.get("lang", "en"))),
        title=html.escape(title or title_of(graph)),
        subtitle=html.escape(_subtitle(graph)),
        svg="".join(parts),
        group_legend=group_legend,
        field_legend=field_legend,
        data=payload,
        script=_SCRIPT,
    )


# -- GraphML and GEXF --------------------------------------------------------------------------


def flatten(graph: nx.Graph) -> nx.Graph:
    """A copy whose attribute values are all str, int, float or bool (for GraphML and GEXF).

    Lists become ``"; "``-joined text; a dict ``{"completed": 1}`` under ``name`` becomes
    ``name_completed = 1``; ``None`` values are dropped.

    >>> g = nx.Graph(); g.add_edge("a", "b", fields=["x", "y"], by={"done": 2}, gone=None)
    >>> sorted(flatten(g).edges["a", "b"].items())
    [('by_done', 2), ('fields', 'x; y')]
    """

    def flat(data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in data.items():
            if v is None:
                continue
            if isinstance(v, dict):
                for sub, sv in v.items():
                    out[f"{k}_{str(sub).replace('-', '_')}"] = sv if isinstance(sv, (str, int, float, bool)) else str(sv)
            elif isinstance(v, (list, tuple, set, frozenset)):
                out[k] = "; ".join(str(x) for x in v)
            elif isinstance(v, (str, int, float, bool)):
                out[k] = v
            else:
                out[k] = str(v)
        return out

    copy = graph.__class__()
    copy.graph.update(flat(dict(graph.graph)))
    for n, data in graph.nodes(data=True):
        copy.add_node(n, **flat(data))
    if graph.is_multigraph():
        for u, v, k, data in graph.edges(keys=True, data=True):
            copy.add_edge(u, v, key=k, **flat(data))
    else:
        for u, v, data in graph.edges(data=True):
            copy.add_edge(u, v, **flat(data))
    # GraphML and GEXF want one type per attribute name: make every edge dict value of a
    # flattened status count present (0 when absent) so that columns line up in Gephi.
    return copy


# -- one entry point -------------------------------------------------------------------------


def render(graph: nx.Graph, path: str | Path, *, format: str | None = None, title: str | None = None) -> Path:
    """Write a network projection to ``path``; the format comes from the suffix (or ``format``).

    Parameters
    ----------
    graph : networkx.Graph
        A projection from :func:`sistercity_kg.network.network`.
    path : str or Path
        Where to write (atomically: a failed write leaves no partial file).
    format : {"png", "svg", "html", "graphml", "gexf"}, optional
        Overrides the suffix.
    title : str, optional
        Overrides the title (which otherwise names the data and the kind of network).

    Raises
    ------
    UnsupportedFormatError
        If the format is not one of :data:`FORMATS`.
    MissingDependencyError
        For PNG or SVG without matplotlib.
    """
    path = Path(path)
    suffix = ("." + format.lower().lstrip(".")) if format else path.suffix.lower()
    if suffix not in FORMATS:
        raise UnsupportedFormatError(
            f"{path}: cannot tell the picture format from {suffix or 'a missing suffix'!r}; "
            f"use one of {', '.join(FORMATS)}."
        )
    if suffix in (".png", ".svg"):
        fig = figure(graph, title=title)
        buffer = io.BytesIO()
        if suffix == ".png":
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig).print_png(buffer, metadata={"Software": "sistercity-kg"})
        else:
            import matplotlib
            from matplotlib.backends.backend_svg import FigureCanvasSVG

            # Text stays text (editable, searchable) rather than glyph outlines; rc_context
            # restores the caller's settings afterwards.
            with matplotlib.rc_context({"svg.fonttype": "none"}):
                FigureCanvasSVG(fig).print_svg(buffer, metadata={"Creator": "sistercity-kg"})
        payload = buffer.getvalue()
    elif suffix == ".html":
        payload = to_html(graph, title=title).encode("utf-8")
    else:
        buffer = io.BytesIO()
        flat = flatten(graph)
        if suffix == ".graphml":
            nx.write_graphml(flat, buffer, encoding="utf-8")
        else:
            nx.write_gexf(flat, buffer, encoding="utf-8")
        payload = buffer.getvalue()
    return atomic_write_bytes(path, payload)
