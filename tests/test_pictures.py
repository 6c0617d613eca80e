"""Every picture format rendered from the bundled data, and the ``network`` command."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from sistercity_kg.cli import main
from sistercity_kg.errors import UnsupportedFormatError
from sistercity_kg.network import KINDS, network
from sistercity_kg.pictures import flatten, render, title_of, to_html

REPO = Path(__file__).resolve().parent.parent


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk of a PNG file."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def cooperation(bundled_kg):
    return network(bundled_kg, "cooperation")


@pytest.mark.parametrize("kind", KINDS)
def test_png_is_a_real_png_of_sensible_size(bundled_kg, tmp_path, kind: str) -> None:
    pytest.importorskip("matplotlib")
    path = render(network(bundled_kg, kind), tmp_path / f"{kind}.png")
    width, height = png_size(path)
    assert 1200 <= width <= 4000 and 500 <= height <= 4000
    assert path.stat().st_size > 20_000  # a drawing, not an empty canvas


def test_svg_parses_as_xml_and_names_the_data(cooperation, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    path = render(cooperation, tmp_path / "cooperation.svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    text = path.read_text(encoding="utf-8")
    # Text is kept as text: the title names the data, the legend names types and fields.
    assert title_of(cooperation) == "Bandung–Seoul Sister City cooperation: cooperation network"
    assert "Bandung–Seoul Sister City cooperation: cooperation network" in text
    assert "Cooperation activity" in text and "field: culture" in text
    assert "Seoul Metropolitan Government" in text


def test_html_works_offline(cooperation, tmp_path) -> None:
    path = render(cooperation, tmp_path / "cooperation.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # No asset from anywhere: no src/href/url()/@import to http(s), no external script or stylesheet.
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", page, re.I)
    assert "@import" not in page and "<link" not in page.lower()
    assert not re.search(r"<script[^>]*\bsrc=", page, re.I)
    # Everything to draw is inline: one SVG group per node, the title and the data for the script.
    assert page.count('class="node"') == len(cooperation)
    assert "Bandung–Seoul Sister City cooperation: cooperation network" in page
    assert "Seoul Metropolitan Government" in page
    assert "</script>" in page and 'id="graph-data"' in page


def test_html_escapes_labels(bundled_kg) -> None:
    g = nx.Graph(kind="cooperation")
    g.add_node("https://example.org/x", label="<script>alert(1)</script>", group="actor")
    page = to_html(g)
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
@pytest.mark.parametrize("kind", KINDS)
def test_graphml_and_gexf_are_read_back_by_networkx(bundled_kg, tmp_path, kind: str, suffix: str) -> None:
    g = network(bundled_kg, kind)
    path = render(g, tmp_path / f"{kind}{suffix}")
    back = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gexf(path)
    assert set(back) == set(g)
    assert back.number_of_edges() == g.number_of_edges()
    labels = {n: d.get("label") for n, d in back.nodes(data=True)}
    assert labels == {n: d["label"] for n, d in g.nodes(data=True)}
    if kind == "actors":
        [(_, _, data)] = list(back.edges(data=True))
        assert data["activities_by_status_completed"] == 1
        assert sorted(data["fields"].split("; ")) == sorted(next(iter(g.edges(data=True)))[2]["fields"])


def test_flatten_leaves_only_scalars(cooperation) -> None:
    flat = flatten(network_with_lists(cooperation))
    for _, data in flat.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    for *_, data in flat.edges(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())


def network_with_lists(graph: nx.Graph) -> nx.Graph:
    """The cooperation network has list attributes (roles, locators); check they exist to flatten."""
    assert any(isinstance(v, list) for *_, d in graph.edges(data=True) for v in d.values())
    return graph


def test_unknown_suffix_is_refused(cooperation, tmp_path) -> None:
    with pytest.raises(UnsupportedFormatError):
        render(cooperation, tmp_path / "picture.jpeg")
    assert not (tmp_path / "picture.jpeg").exists()


def test_cli_network_writes_each_format(tmp_path, capsys) -> None:
    pytest.importorskip("matplotlib")
    for name in ("c.png", "c.svg", "c.html", "c.graphml", "c.gexf"):
        assert main(["network", "cooperation", "--out", str(tmp_path / name), "--status", "completed"]) == 0
        assert (tmp_path / name).stat().st_size > 0
    assert "Wrote the cooperation network" in capsys.readouterr().out
    assert main(["network", "--out", str(tmp_path / "a.txt")]) == 2
    assert "cannot tell the picture format" in capsys.readouterr().err
    assert main(["network", "actors", "--out", str(tmp_path / "a.html"), "--as-of", "not-a-date"]) == 2


def test_cli_network_reads_other_files_and_languages(tmp_path) -> None:
    out = tmp_path / "fields.graphml"
    assert main(["network", "fields", str(REPO / "data" / "bandung-seoul.ttl"), "--out", str(out), "--lang", "id"]) == 0
    labels = {d["label"] for _, d in nx.read_graphml(out).nodes(data=True)}
    assert "Pemerintah Kota Bandung" in labels and "kebudayaan" in labels


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)


def test_pictures_leave_pyplot_alone() -> None:
    pytest.importorskip("matplotlib")
    done = _run(
        "import sys, tempfile, pathlib, sistercity_kg as sck\n"
        "from sistercity_kg.pictures import render\n"
        "render(sck.load().network('actors'), pathlib.Path(tempfile.mkdtemp()) / 'a.png')\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_a_clear_error_without_matplotlib() -> None:
    # Make ``import matplotlib`` fail in a fresh interpreter, as on an install without the extra.
    done = _run(
        "import sys; sys.modules['matplotlib'] = None\n"
        "import tempfile, pathlib, sistercity_kg as sck\n"
        "from sistercity_kg.errors import MissingDependencyError\n"
        "from sistercity_kg.pictures import render\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "render(sck.load().network('actors'), d / 'a.html')\n"
        "try:\n"
        "    render(sck.load().network('actors'), d / 'a.png')\n"
        "except MissingDependencyError as exc:\n"
        "    print(exc)\n"
    )
    assert done.returncode == 0, done.stderr
    assert 'pip install "sistercity-kg[pictures]"' in done.stdout


def test_readme_image_exists_and_is_a_png() -> None:
    width, height = png_size(REPO / "docs" / "images" / "bandung-seoul-cooperation.png")
    assert width >= 1200 and height >= 800
