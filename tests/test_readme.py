"""Every Python example of README.md runs (in order, in one namespace, in a scratch folder)."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_has_python_examples() -> None:
    assert len(python_blocks()) >= 2


def test_readme_examples_run(tmp_path: Path) -> None:
    namespace: dict[str, object] = {"__name__": "readme"}
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)  # the examples write files (exports) into the working folder
    try:
        with contextlib.redirect_stdout(out):
            for block in python_blocks():
                exec(compile(block, "README.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    printed = out.getvalue()
    assert "True" in printed  # the bundled data conforms
    assert "Little Korea in Bandung" in printed and "under construction" in printed
    assert (tmp_path / "bandung-seoul.ttl").stat().st_size > 10_000
