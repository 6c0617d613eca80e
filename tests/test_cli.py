"""The command line: the summary, validate's exit codes, export, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sistercity_kg.cli import EXIT_ERROR, EXIT_OK, EXIT_VIOLATIONS, main


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sistercity_kg", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_summary_shows_actors_activities_sources_and_validation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary"]) == EXIT_OK
    out = capsys.readouterr().out
    for expected in (
        "Bandung City Government",
        "Seoul Metropolitan Government",
        "Little Bandung",
        "Little Korea",
        "under construction",
        "Validation: conforms",
    ):
        assert expected in out, expected
    assert "warnings" in out


def test_summary_in_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--lang", "id"]) == EXIT_OK
    assert "Pemerintah Kota Bandung" in capsys.readouterr().out


def test_validate_json_on_bundled_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json"]) == EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["conforms"] is True and doc["violations"] == 0


def test_validate_exits_1_on_violations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "one-partner.ttl"
    bad.write_text(
        "@prefix sck: <https://w3id.org/sistercity-kg/ontology#> .\n"
        "<https://w3id.org/sistercity-kg/id/partnership/lonely> a sck:Partnership .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) == EXIT_VIOLATIONS
    assert "does not conform" in capsys.readouterr().out


def test_broken_turtle_exits_2_with_file_and_line_and_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    done = run("validate", str(broken))
    assert done.returncode == EXIT_ERROR
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.ttl, line 2" in lines[0]


def test_debug_flag_shows_the_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("ex:a ex:b ex:c .\n", encoding="utf-8")
    done = run("--debug", "validate", str(broken))
    assert done.returncode == EXIT_ERROR and "Traceback" in done.stderr


def test_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    done = run("validate", str(tmp_path / "absent.ttl"))
    assert done.returncode == EXIT_ERROR
    assert "absent.ttl: no such file" in done.stderr and "Traceback" not in done.stderr


def test_export_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kg.trig"
    assert main(["export", str(out)]) == EXIT_OK
    assert out.read_text(encoding="utf-8").count("sckg:") >= 3
    assert "Wrote" in capsys.readouterr().out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_ERROR
    assert "summary" in capsys.readouterr().out


def test_an_internal_error_is_one_line_with_exit_3(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import sistercity_kg.cli as cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(cli, "summarize", broken)  # stands for a bug in our own code
    assert main(["summary"]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error: RuntimeError: simulated bug" in err[0] and "--debug" in err[0]
