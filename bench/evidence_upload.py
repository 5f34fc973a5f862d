"""Peak memory of a large evidence upload through the real upload path.

    python bench/evidence_upload.py [--gib 2] [--runs 3] [--write-results]

Each run starts a fresh server process (Django's WSGIHandler under wsgiref, the same
middleware, view, multipart parser and `EvidenceUploadHandler` as in production) on a new
SQLite data directory, logs in an investigator of one case, and POSTs a multipart body
with a file of `--gib` GiB generated on the fly (nothing is written to disk first; the
client never holds more than 1 MiB). The server's peak resident set is read from
/proc/<pid>/status (VmHWM, the kernel's high-water mark of RSS, reset through clear_refs
just before the request so start-up does not count) after the response; its RSS just
before the upload (VmRSS) is the baseline. The SHA-256 the client computed while
sending is compared with the one the server recorded for the new item.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Evidence upload memory"
MIB = 1024 * 1024
BOUNDARY = "----markaz-bench-" + secrets.token_hex(8)


def serve(data_dir: str, info_file: str) -> None:
    """Child: set up a data directory with one case and serve it on a free port."""
    os.environ["MARKAZ_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "markaz.settings")
    import django

    django.setup()
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    from markaz.accounts.roles import Role
    from markaz.accounts.services import user_create
    from markaz.cases.services import case_assign, case_open
    from markaz.flows.submission import reports_submit
    from markaz.intake.choices import Channel
    from markaz.intake.services import ReportDraft, Submission

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    password = secrets.token_urlsafe(16)
    boss = user_create(
        username="bench-supervisor", password=password, roles=[Role.SUPERVISOR], actor=None
    )
    lead = user_create(
        username="bench-lead", password=password, roles=[Role.INVESTIGATOR], actor=None
    )
    draft = ReportDraft(
        category="fraud_marketplace",
        narrative="Benchmark report.",
        language="en",
        consent=True,
    )
    report = reports_submit(submissions=[Submission(draft=draft, channel=Channel.WEB)])[0].report
    case = case_assign(
        case=case_open(reports=[report], title="Benchmark", actor=boss),
        investigator=lead,
        actor=boss,
    )
    session = SessionStore()
    session[SESSION_KEY] = str(lead.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = lead.get_session_auth_hash()
    session.create()

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=Quiet)
    Path(info_file).write_text(
        json.dumps(
            {"port": server.server_port, "session": session.session_key, "case": case.number}
        ),
        encoding="utf-8",
    )
    server.serve_forever()


def _status(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) * 1024
    return values


def one_run(size: int) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="markaz-bench-evidence-"))
    info_file = work / "info.json"
    env = {
        **os.environ,
        "MARKAZ_DATA_DIR": str(work / "data"),
        "DJANGO_SETTINGS_MODULE": "markaz.settings",
    }
    env.pop("DATABASE_URL", None)
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "--serve", str(work / "data"), str(info_file)], env=env
    )
    try:
        for _ in range(600):
            if info_file.exists() and info_file.stat().st_size:
                break
            if child.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
        info = json.loads(info_file.read_text())
        csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked CSRF secret
        fields = {
            "csrfmiddlewaretoken": csrf,
            "description": "Benchmark disk image",
            "purpose": "Benchmark",
            "location": "bench",
        }
        head = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
            for k, v in fields.items()
        )
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="disk.img"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        head_bytes = head.encode()
        startup_peak = _status(child.pid)["VmHWM"]
        # Reset the high-water mark to the current RSS (Linux >= 4.0), so VmHWM after the
        # response is the peak during the upload, not during start-up (migrations).
        Path(f"/proc/{child.pid}/clear_refs").write_text("5")
        baseline = _status(child.pid)["VmRSS"]
        connection = http.client.HTTPConnection("127.0.0.1", info["port"], timeout=600)
        connection.putrequest("POST", f"/staff/evidence/case/{info['case']}/upload/")
        connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
        connection.putheader("Content-Length", str(len(head_bytes) + size + len(tail)))
        connection.putheader("Cookie", f"sessionid={info['session']}; csrftoken={csrf}")
        connection.endheaders()
        started = time.perf_counter()
        connection.send(head_bytes)
        digest = hashlib.sha256()
        block = bytearray(os.urandom(MIB))
        sent = 0
        while sent < size:
            block[:8] = sent.to_bytes(8, "big")  # every MiB differs: no accidental dedup
            piece = bytes(block[: min(MIB, size - sent)])
            digest.update(piece)
            connection.send(piece)
            sent += len(piece)
        connection.send(tail)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        location = response.getheader("Location", "")
        if response.status != 302 or "/staff/evidence/item/" not in location:
            raise SystemExit(f"upload failed: {response.status} {location}")
        peak = _status(child.pid)["VmHWM"]
        with sqlite3.connect(work / "data" / "markaz.sqlite3") as db:
            stored_sha, stored_size = db.execute(
                "SELECT sha256, size FROM evidence_evidenceitem"
            ).fetchone()
        if stored_sha != digest.hexdigest() or stored_size != size:
            raise SystemExit("the server recorded another hash or size than was sent")
        return {"peak": peak, "baseline": baseline, "startup": startup_peak, "seconds": elapsed}
    finally:
        child.terminate()
        child.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def write_results(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if SECTION in current:
        before, _, after = current.partition(SECTION)
        rest = after.split("\n## ", 1)
        current = before.rstrip("\n") + "\n\n" + text + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        current = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gib", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-results", action="store_true")
    parser.add_argument(
        "--serve", nargs=2, metavar=("DATA_DIR", "INFO_FILE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return
    size = int(args.gib * 1024**3)
    runs = []
    for number in range(1, args.runs + 1):
        run = one_run(size)
        runs.append(run)
        print(
            f"run {number}: peak RSS {run['peak'] / MIB:.1f} MiB (baseline {run['baseline'] / MIB:.1f} MiB, start-up peak {run['startup'] / MIB:.1f} MiB), "
            f"{run['seconds']:.1f} s, {size / MIB / run['seconds']:.0f} MiB/s",
            flush=True,
        )
    peak = statistics.median(r["peak"] for r in runs) / MIB
    baseline = statistics.median(r["baseline"] for r in runs) / MIB
    seconds = statistics.median(r["seconds"] for r in runs)
    verdict = "under" if peak < 200 else "NOT under"
    text = (
        f"{SECTION}\n\n"
        f"`python bench/evidence_upload.py --gib {args.gib:g} --runs {args.runs} --write-results`, "
        f"run {datetime.now(UTC):%Y-%m-%d} (UTC), Python {sys.version.split()[0]}, SQLite.\n\n"
        f"One multipart POST of a {size:,}-byte file ({args.gib:g} GiB, generated on the fly) to "
        "`/staff/evidence/case/<number>/upload/` on a fresh server process per run (Django's "
        "WSGIHandler under wsgiref: the production middleware, view, multipart parser and "
        "`EvidenceUploadHandler`, which hashes and seals each 1 MiB chunk as it arrives). Memory is "
        "the server process's peak resident set during the upload: its high-water mark is reset "
        "to the current RSS just before the request (`echo 5 > /proc/<pid>/clear_refs`) and "
        "VmHWM is read from /proc/<pid>/status after the response; baseline is its VmRSS just "
        "before the upload (start-up, which runs the migrations, peaks higher: "
        f"{statistics.median(r['startup'] for r in runs) / MIB:.1f} MiB, not counted). Each run checks that the SHA-256 "
        "the server recorded equals the one the client computed while sending. Median of "
        f"{args.runs} runs:\n\n"
        "| file | server peak RSS (VmHWM) | server RSS before upload | time | throughput |\n"
        "| --- | ---: | ---: | ---: | ---: |\n"
        f"| {args.gib:g} GiB | {peak:.1f} MiB | {baseline:.1f} MiB | {seconds:.1f} s | "
        f"{size / MIB / seconds:.0f} MiB/s |\n\n"
        "Runs: "
        + "; ".join(f"{r['peak'] / MIB:.1f} MiB peak, {r['seconds']:.1f} s" for r in runs)
        + f".\n\nPeak memory is {verdict} the 200 MB the issue asks for.\n"
    )
    print(text)
    if args.write_results:
        write_results(text)


if __name__ == "__main__":
    main()
