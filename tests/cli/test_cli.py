"""The ``eakte`` command line, called in-process (and once as a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sync.cli.main import main
from sync.demo import samples


@pytest.fixture
def demo_store(tmp_path) -> Path:
    root = tmp_path / "store"
    assert (
        main(
            [
                "--store",
                str(root),
                "demo-data",
                "--dossiers",
                "3",
                "--documents",
                "6",
                "--seed",
                "7",
            ]
        )
        == 0
    )
    return root


def _lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def _first_reference(root: Path, capsys) -> str:
    capsys.readouterr()
    assert main(["--store", str(root), "ls"]) == 0
    out = capsys.readouterr().out
    assert "DEMO" in out
    line = next(line for line in out.splitlines() if line.strip().startswith("Akte "))
    return line.split()[1]


def test_import_reports_json_lines_and_exit_code(demo_store, tmp_path, capsys):
    ref = _first_reference(demo_store, capsys)
    good = tmp_path / "in" / "brief.pdf"
    good.parent.mkdir()
    good.write_bytes(
        samples.text_pdf("Anhörung", ["Sehr geehrter Herr Weiß, bitte äußern Sie sich."])
    )
    (tmp_path / "in" / "leer.pdf").write_bytes(b"")
    code = main(
        ["--store", str(demo_store), "import", "--into", ref, "--json", str(tmp_path / "in")]
    )
    rows = {Path(r["path"]).name: r for r in _lines(capsys)}
    assert code == 1, "a rejected file makes the exit code 1"
    assert rows["brief.pdf"]["status"] == "filed" and rows["brief.pdf"]["document_id"]
    assert rows["leer.pdf"]["status"] == "rejected" and "leer" in rows["leer.pdf"]["message"]
    assert set(rows["brief.pdf"]) >= {"path", "status", "document_id", "message"}

    # The same file again: a duplicate, which is not a failure.
    code = main(["--store", str(demo_store), "import", "--into", ref, "--json", str(good)])
    assert code == 0 and _lines(capsys)[0]["status"] == "duplicate"

    assert main(["--store", str(demo_store), "search", "weiss anhoerung", "--json"]) == 0
    hits = _lines(capsys)
    assert hits[0]["document_id"] == rows["brief.pdf"]["document_id"]
    assert hits[0]["reference"] == ref
    assert {"document_id", "title", "reference", "snippet"} <= set(hits[0])


def test_ls_below_a_dossier_shows_its_documents(demo_store, capsys):
    ref = _first_reference(demo_store, capsys)
    assert main(["--store", str(demo_store), "ls", ref]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"Akte {ref}")


def test_new_dossier_and_case(demo_store, capsys):
    capsys.readouterr()
    assert main(["--store", str(demo_store), "new-dossier", "621", "Bauantrag Testweg 1"]) == 0
    reference = capsys.readouterr().out.split("\t")[0]
    assert reference.startswith("621-") and reference[4:8].isdigit()
    assert main(["--store", str(demo_store), "new-case", reference, "Nachforderung"]) == 0
    assert main(["--store", str(demo_store), "ls", reference]) == 0
    assert "Vorgang Nachforderung" in capsys.readouterr().out


def test_usage_errors_exit_2_and_domain_errors_exit_1(demo_store, tmp_path, capsys):
    assert main(["--store", str(demo_store), "import"]) == 2
    assert (
        main(["--store", str(demo_store), "import", "--into", "gibt-es-nicht", str(tmp_path)]) == 1
    )
    assert "weder ein Aktenzeichen" in capsys.readouterr().err
    assert main(["--store", str(tmp_path / "leer"), "ls"]) == 1


def test_entry_point_runs_as_a_program(demo_store):
    env = {**os.environ, "EAKTE_STORE": str(demo_store)}
    done = subprocess.run(
        [sys.executable, "-m", "sync.cli.main", "search", "Bauantrag", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_demo_builds_a_fresh_demo_store_but_never_wipes_a_real_one(tmp_path, capsys):
    demo = tmp_path / "demo"
    assert main(["--store", str(demo), "demo"]) == 0
    assert "DEMO-Aktenplan" in capsys.readouterr().out
    assert main(["--store", str(demo), "demo"]) == 0, "a demo store may be rebuilt"
    real = tmp_path / "echt"
    assert main(["--store", str(real), "demo-data", "--dossiers", "1", "--documents", "0"]) == 0
    capsys.readouterr()
    assert main(["--store", str(real), "demo"]) == 1
    assert "kein Demo-Datenbestand" in capsys.readouterr().err
    assert (real / "records.sqlite3").exists()
