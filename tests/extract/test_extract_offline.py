"""The public suffix list comes from tldextract's bundled snapshot: never the network."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import markaz.extract

CHILD = """
import socket, sys
def refuse(*args, **kwargs):
    raise SystemExit("network used: " + repr(args[:2]))
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from markaz.extract import extract
found = [(f.kind, f.value) for f in extract("сайт tcell-bonus.top и http://evil.co.uk/x")]
assert found == [("domain", "tcell-bonus.top"), ("url", "http://evil.co.uk/x")], found
print("ok")
"""


def test_extraction_runs_with_the_network_cut_off(tmp_path):
    src = Path(markaz.extract.__file__).resolve().parent.parent.parent
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(src), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
