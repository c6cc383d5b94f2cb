"""Neovim's own LSP client on `govlint server`, headless, when Neovim is installed."""

import os
import shutil
import subprocess

import pytest

from conftest import BINARY, FAILING, REPO


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed")
def test_neovim_shows_the_findings(tmp_path):
    records = tmp_path / "records.yaml"
    shutil.copy(FAILING, records)
    out = tmp_path / "diagnostics.txt"
    env = dict(os.environ, GOVLINT_BIN=BINARY, RECORDS=str(records), OUT=str(out))
    script = REPO / "tests" / "lsp" / "neovim.lua"
    subprocess.run(
        ["nvim", "--headless", "--clean", "-c", f"luafile {script}"],
        env=env,
        timeout=60,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    errors = [row for row in rows if row[1] == "presidency-term-length"]
    # Severity 1 is an error; line 10 (0-based 9) holds `end: 2020-09`.
    assert errors == [["9", "presidency-term-length", "1"]], rows
    assert len(rows) == 17
