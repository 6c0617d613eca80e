"""Where the bundled ontology, data and queries live.

In an installed wheel they sit inside the package (``sistercity_kg/_bundled``); in a
source checkout or an editable install they are the top-level folders of the repository.

Examples
--------
>>> bundled_path("ontology/sistercity.ttl").name
'sistercity.ttl'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_root", "bundled_path", "ontology_files", "data_files", "SHAPES_FILE"]

_PACKAGE_DIR = Path(__file__).resolve().parent

#: Path, relative to the bundle root, of the SHACL shapes.
SHAPES_FILE = "ontology/shapes.ttl"


def bundled_root() -> Path:
    """Return the folder holding ``ontology/``, ``data/`` and ``queries/``."""
    inside = _PACKAGE_DIR / "_bundled"
    if (inside / "ontology").is_dir():
        return inside
    return _PACKAGE_DIR.parent


def bundled_path(relative: str) -> Path:
    """Return the path of a bundled file such as ``"ontology/shapes.ttl"``.

    Raises
    ------
    FileNotFoundError
        If the installation does not carry that file.
    """
    path = bundled_root() / relative
    if not path.exists():
        raise FileNotFoundError(f"The installation carries no {relative} (looked in {bundled_root()}).")
    return path


def ontology_files() -> list[Path]:
    """The ontology and concept-scheme files loaded by :func:`sistercity_kg.load` (shapes excluded)."""
    folder = bundled_root() / "ontology"
    return sorted(p for p in folder.glob("*.ttl") if p.name != Path(SHAPES_FILE).name)


def data_files() -> list[Path]:
    """The bundled dataset files (Turtle and TriG), in a stable order."""
    folder = bundled_root() / "data"
    return sorted(p for p in folder.iterdir() if p.suffix in {".ttl", ".trig"})
