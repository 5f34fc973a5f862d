"""Benchmark of linking (issue 4): bulk import, correlation, search, campaign page, rebuild.

    python bench/intel.py --reports 1000000 --workdir /tmp/bench-intel [--database-url URL]

Reports come from the demo generator (``markaz.demo.generator.generate_reports``) with the
campaign cap raised to 5,000, streamed to a JSON Lines file in the documented import
format and loaded with the real ``markaz import`` path (``reports_import`` with the
command's default workers: the API's rules, intake's batch path, intel's batch indexing
and linking). Before the import an analyst puts
the generator's noise that no shipped list covers (bank hotlines, the marketplace) on the
warning list, and the guard is raised to ``--guard`` reports (default 10,000): the state
after analysts confirmed the held identifiers of real campaigns, without which no
campaign grows past 200 reports. Each phase runs in its own process so that its peak
memory (VmHWM) is its own. Figures are printed as JSON lines; EXPLAIN plans of every
query on the hot paths are written to ``plans-<database>.txt`` in the work directory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CAMPAIGN_CAP = 5000


def vmhwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """CPU time (user + system) of this process, or of its ended children (RUSAGE_CHILDREN)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def server_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend (a local server only), else None.

    With the importing process and its workers, the third share of a PostgreSQL import on
    one machine: together they tell which one bounds it, where wall-clock time varies
    from run to run with the machine.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server is on another machine, or not ours to read
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


# --- the input file -------------------------------------------------------------------------


def import_record(item: Any) -> dict[str, Any]:
    """A generated report in the import format (docs/import.md)."""
    record = {
        "external_id": f"bench-{item.index}",
        "category": item.category,
        "narrative": item.narrative,
        "language": item.language,
        "incident_at": item.incident_at.isoformat() if item.incident_at else None,
        "incident_time_approximate": item.incident_time_approximate,
        "region": item.region,
        "district": item.district,
        "loss_amount": None if item.loss_amount is None else str(item.loss_amount),
        "loss_currency": item.loss_currency,
        "payment_method": item.payment_method or None,
        "suspect_identifiers": [{"kind": k, "value": v} for k, v in item.suspect_identifiers],
        "victim_name": item.victim_name,
        "victim_phone": item.victim_phone,
        "victim_email": item.victim_email,
        "consent": True,
        "submitted_at": item.submitted_at.isoformat(),
    }
    return {k: v for k, v in record.items() if v not in (None, "")}


def write_input(path: Path, count: int, seed: int) -> None:
    from markaz.demo.generator import generate_reports

    until = datetime(2026, 11, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as handle:
        for item in generate_reports(count, seed=seed, until=until, max_campaign_size=CAMPAIGN_CAP):
            handle.write(json.dumps(import_record(item), ensure_ascii=False) + "\n")


# --- phases (each in its own process) -----------------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "markaz.settings")
    import django

    django.setup()


def _analyst() -> Any:
    from django.contrib.auth import get_user_model

    from markaz.accounts.roles import Role
    from markaz.accounts.services import user_create

    user = get_user_model().objects.filter(username="bench-analyst").first()
    return user or user_create(
        username="bench-analyst", password=None, roles=[Role.ANALYST], actor=None
    )


def phase_import_run(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from markaz.demo.identifiers import NOISE_UNLISTED
    from markaz.flows.imports import reports_import, workers_default
    from markaz.intake.models import Report
    from markaz.intel.services import warninglist_add

    analyst = _analyst()
    for kind, value in NOISE_UNLISTED:
        warninglist_add(kind=kind, value=value, note="bench: noise", actor=analyst)
    submitter = _import_user()
    # As the command runs it: its default number of validating workers unless told.
    workers = workers_default() if args.workers < 0 else args.workers
    load = [load_average()]
    server_before = server_cpu_seconds()
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    done = 0
    stopped = False

    def progress(rows: int) -> None:
        # Called after each committed batch: a clean place to stop (the import resumes).
        nonlocal done
        done += rows
        if done % 20000 < rows:
            elapsed = time.perf_counter() - started
            print(
                f"# {done} rows {elapsed:.0f}s load {load_average()}", file=sys.stderr, flush=True
            )
        if args.import_seconds and time.perf_counter() - started > args.import_seconds:
            raise _Deadline

    try:
        result = reports_import(
            Path(args.input),
            submitted_by=submitter,
            batch_size=args.batch,
            progress=progress,
            workers=workers,
        )
        imported, rejected = result.imported, len(result.rejected)
    except _Deadline:
        stopped = True
        imported, rejected = Report.objects.count(), -1
    elapsed = time.perf_counter() - started
    load.append(load_average())
    cpu = {
        "importing_process": cpu_seconds() - cpu_before,
        "workers": cpu_seconds(resource.RUSAGE_CHILDREN),  # the pool has ended
    }
    server_after = server_cpu_seconds()
    if server_before is not None and server_after is not None:
        cpu["database_server"] = server_after - server_before
    # What PostgreSQL's autovacuum does on its own after a bulk load: statistics, and the
    # visibility map that index-only scans need. SQLite never gathers statistics unless
    # told (Django does not): it is left as an application runs it.
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    maintenance = time.perf_counter() - started
    return {
        "imported": imported,
        "rejected": rejected,
        "stopped_at_deadline": stopped,
        "workers": workers,
        "seconds": round(elapsed, 1),
        "reports_per_s": round(imported / elapsed, 1),
        # CPU seconds of each process taking part, and per imported report in ms.
        "cpu_s": {name: round(value, 1) for name, value in cpu.items()},
        "cpu_ms_per_report": {
            name: round(1000 * value / max(imported, 1), 3) for name, value in cpu.items()
        },
        "stored": Report.objects.count(),
        "analyze_seconds": round(maintenance, 1),
        "load_average": load,
    }


def _import_user() -> Any:
    import importlib

    command = importlib.import_module("markaz.flows.management.commands.import")
    return command._submitter("")


def _largest_campaign() -> Any:
    from markaz.intel.models import Campaign

    return Campaign.objects.order_by("-report_count", "pk").first()


def _random_pks(model: Any, rng: random.Random, count: int) -> list[int]:
    """Primary keys drawn uniformly over the table (ids are dense: bulk inserts)."""
    from django.db.models import Max, Min

    bounds = model.objects.aggregate(low=Min("pk"), high=Max("pk"))
    return [rng.randint(bounds["low"], bounds["high"]) for _ in range(count)]


class _Rollback(Exception):
    pass


class _Deadline(Exception):
    pass


def _new_report_indexed(kind: str, value: str) -> float:
    """Submit a report naming (kind, value), then time intel's work on it alone (what the
    hook does: extraction, indicator upsert, sightings, neighbours, campaign union,
    figures); all rolled back. Milliseconds."""
    from django.db import transaction

    from markaz.core.bulk import statements_pipelined
    from markaz.intake.services import ReportDraft, Submission, reports_store
    from markaz.intel import services

    draft = ReportDraft(
        category="fraud_marketplace",
        narrative="Пул гирифт ва ҷавоб намедиҳад.",
        language="tg",
        suspect_identifiers=[(kind, value)],
        consent=True,
    )
    from django.db import connection

    elapsed = 0.0
    statements = 0

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    try:
        with transaction.atomic():
            # Stored without indexing, which is timed below on its own, pipelined as the
            # submission flow indexes a single report.
            [receipt] = reports_store(submissions=[Submission(draft=draft, channel="web")])
            report = receipt.report
            started = time.perf_counter()
            with connection.execute_wrapper(counted), statements_pipelined():
                services.reports_index(
                    reports=[report], identifiers={report.pk: [(kind, value)]}, fresh=True
                )
            elapsed = (time.perf_counter() - started) * 1000
            raise _Rollback
    except _Rollback:
        pass
    _INDEX_STATEMENTS.append(statements)
    return elapsed


# Statements of each new report indexed (on PostgreSQL, pipelined: fewer round trips).
_INDEX_STATEMENTS: list[int] = []


def phase_correlate(args: argparse.Namespace) -> dict[str, Any]:
    """(a) A new report naming an identifier a stored report's victim typed (a stored
    report drawn uniformly: most are in small campaigns or alone, a few in big ones):
    intel's indexing and linking of it. (b) The report page's correlation read for a
    report drawn uniformly among those with links. Both also for the largest campaign."""
    from django.db import connection

    from markaz.cases.correlation import report_correlation
    from markaz.intake.models import Report, SuspectIdentifier
    from markaz.intel.models import CampaignMember

    rng = random.Random(args.seed)
    analyst = _analyst()
    named: list[tuple[str, str]] = []
    for pk in _random_pks(Report, rng, args.trials * 4):
        named.extend(SuspectIdentifier.objects.filter(report_id=pk).values_list("kind", "value"))
        if len(named) >= args.trials:
            break
    members = list(
        CampaignMember.objects.filter(report_id__in=_random_pks(Report, rng, args.trials * 4))
        .order_by("report_id")
        .values_list("report_id", flat=True)[: args.trials]
    )
    largest = _largest_campaign()
    in_largest = list(
        CampaignMember.objects.filter(campaign=largest).values_list("report_id", flat=True)
    )
    # An identifier a victim of the largest campaign typed: a new report naming it joins it.
    top = (
        SuspectIdentifier.objects.filter(report_id__in=in_largest[:2000])
        .values_list("kind", "value")
        .first()
    )

    def read(report_id: int) -> float:
        report = Report.objects.get(pk=report_id)
        started = time.perf_counter()
        report_correlation(user=analyst, report=report)
        return (time.perf_counter() - started) * 1000

    load = [load_average()]
    index_times = [_new_report_indexed(kind, value) for kind, value in named[: args.trials]]
    statements = list(_INDEX_STATEMENTS)
    read_times = [read(pk) for pk in members]
    worst_trials = max(20, args.trials // 10)
    worst_index = [_new_report_indexed(*top) for _ in range(worst_trials)] if top else []
    worst_read = [read(rng.choice(in_largest)) for _ in range(worst_trials)]
    load.append(load_average())

    plans = []
    if top:
        plans.append(
            _explained("new report joining the largest campaign", _new_report_indexed, *top)
        )
    plans.append(
        _explained("report page correlation, a report of the largest campaign", read, in_largest[0])
    )
    _plans_write(args, plans)
    return {
        "trials": len(index_times),
        "index_new_report_ms_p50": round(statistics.median(index_times), 2),
        "index_new_report_ms_p99": round(percentile(index_times, 99), 2),
        "index_new_report_statements_p50": statistics.median(statements),
        "report_page_correlation_ms_p50": round(statistics.median(read_times), 2),
        "report_page_correlation_ms_p99": round(percentile(read_times, 99), 2),
        "largest_campaign_reports": largest.report_count if largest else 0,
        "largest_trials": worst_trials,
        "largest_index_ms_p50": round(statistics.median(worst_index), 2) if worst_index else None,
        "largest_index_ms_p99": round(percentile(worst_index, 99), 2) if worst_index else None,
        "largest_read_ms_p50": round(statistics.median(worst_read), 2),
        "largest_read_ms_p99": round(percentile(worst_read, 99), 2),
        "load_average": load,
        "vendor": connection.vendor,
    }


# --- query plans --------------------------------------------------------------------------------


def _explained(title: str, run: Any, *run_args: Any) -> str:
    """Run ``run`` once, capturing its queries, then EXPLAIN every read among them (on
    PostgreSQL with ANALYZE: the real row counts and times of a second, warm run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run(*run_args)
    lines = [f"## {title}: {len(captured)} queries"]
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for number, query in enumerate(captured.captured_queries, 1):
            sql = query["sql"]
            lines.append(f"\n-- {number}. ({query['time']} s) {sql[:600]}")
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if postgres:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) " + sql)
                lines.extend("   " + row[0] for row in cursor.fetchall())
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                lines.extend("   " + str(row[-1]) for row in cursor.fetchall())
    return "\n".join(lines)


def _plans_write(args: argparse.Namespace, plans: list[str]) -> None:
    path = Path(args.plans)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n\n".join(plans) + "\n\n")


def phase_search(args: argparse.Namespace) -> dict[str, Any]:
    """``indicator_search`` (the search page's selector, audit row included) for identifiers
    as victims typed them, drawn from reports uniformly."""
    from markaz.cases.correlation import indicator_search
    from markaz.intake.models import Report, SuspectIdentifier

    rng = random.Random(args.seed + 1)
    analyst = _analyst()
    queries: list[str] = []
    for pk in _random_pks(Report, rng, args.trials * 4):
        queries.extend(
            SuspectIdentifier.objects.filter(report_id=pk).values_list("value", flat=True)
        )
        if len(queries) >= args.trials:
            break
    queries = queries[: args.trials]

    def search(query: str) -> bool:
        return bool(indicator_search(user=analyst, query=query))

    load = [load_average()]
    times: list[float] = []
    found = 0
    for query in queries:
        started = time.perf_counter()
        found += search(query)
        times.append((time.perf_counter() - started) * 1000)
    load.append(load_average())
    _plans_write(args, [_explained(f"identifier search for {queries[0]!r}", search, queries[0])])
    return {
        "trials": len(queries),
        "found_share": round(found / len(queries), 3),
        "search_ms_p50": round(statistics.median(times), 2),
        "search_ms_p95": round(percentile(times, 95), 2),
        "load_average": load,
    }


def phase_campaign(args: argparse.Namespace) -> dict[str, Any]:
    """The real view ``intel:campaign_detail`` of the largest campaign, rendered by
    Django's test client as an analyst (first page of reports)."""
    from django.test import Client
    from django.urls import reverse

    largest = _largest_campaign()
    client = Client()
    client.force_login(_analyst())
    url = reverse("intel:campaign_detail", args=[largest.pk])
    client.get(url, HTTP_HOST="127.0.0.1")  # warm: templates, the session

    def page() -> int:
        return client.get(url, HTTP_HOST="127.0.0.1").status_code

    load = [load_average()]
    times: list[float] = []
    status = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        status = page()
        times.append((time.perf_counter() - started) * 1000)
    load.append(load_average())
    _plans_write(args, [_explained(f"campaign page of the largest campaign ({url})", page)])
    return {
        "campaign_reports": largest.report_count,
        "status": status,
        "page_ms_runs": [round(t, 1) for t in times],
        "page_ms_median": round(statistics.median(times), 1),
        "load_average": load,
    }


def phase_rebuild(args: argparse.Namespace) -> dict[str, Any]:
    """``campaigns_rebuild_all`` (``markaz campaigns rebuild``): every component from
    scratch, compared with what incremental linking had made."""
    from markaz.intel.models import Campaign, Sighting
    from markaz.intel.services import campaigns_rebuild_all

    # Read in a child process, so this phase's peak memory is the rebuild's own.
    before = _in_child(_partition)
    load = [load_average()]
    times: list[float] = []
    count = 0
    for _ in range(min(args.runs, 3)):
        started = time.perf_counter()
        count = campaigns_rebuild_all(actor=None)
        times.append(time.perf_counter() - started)
    load.append(load_average())
    return {
        "seconds_runs": [round(t, 2) for t in times],
        "seconds_median": round(statistics.median(times), 2),
        "campaigns": count,
        "same_components_as_incremental": _in_child(_partition) == before,
        "linking_sightings": Sighting.objects.filter(linking=True).count(),
        "largest": _largest_campaign().report_count,
        "campaigns_over_1000_reports": Campaign.objects.filter(report_count__gt=1000).count(),
        "load_average": load,
    }


def _partition() -> set[frozenset[int]]:
    from markaz.intel.models import CampaignMember

    groups: dict[int, list[int]] = {}
    rows = CampaignMember.objects.values_list("report_id", "campaign_id")
    for report_id, campaign_id in rows.iterator(chunk_size=20000):
        groups.setdefault(campaign_id, []).append(report_id)
    return {frozenset(g) for g in groups.values()}


def _in_child(function: Any) -> Any:
    """``function()`` in a forked child (its memory is not this process's peak)."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(function)


def _officer() -> Any:
    from django.contrib.auth import get_user_model

    from markaz.accounts.roles import Role
    from markaz.accounts.services import user_create

    user = get_user_model().objects.filter(username="bench-officer").first()
    return user or user_create(
        username="bench-officer", password=None, roles=[Role.INTAKE_OFFICER], actor=None
    )


def phase_inbox(args: argparse.Namespace) -> dict[str, Any]:
    """The triage inbox (``intake:inbox``, 25 reports a page with "matches N earlier
    reports") through Django's test client as an intake officer: the first page, then
    pages drawn uniformly; and its match counts (``inbox_matches``) for the 25 newest
    members of the largest campaign, the page with the most matches there can be."""
    from django.test import Client
    from django.urls import reverse

    from markaz.cases.correlation import inbox_matches
    from markaz.intake.models import Report
    from markaz.intel.models import CampaignMember

    rng = random.Random(args.seed + 3)
    client = Client()
    client.force_login(_officer())
    url = reverse("intake:inbox")
    client.get(url, HTTP_HOST="127.0.0.1")  # warm: templates, the session

    def timed(path: str) -> float:
        started = time.perf_counter()
        status = client.get(path, HTTP_HOST="127.0.0.1").status_code
        if status != 200:
            raise RuntimeError(f"{path}: {status}")
        return (time.perf_counter() - started) * 1000

    load = [load_average()]
    first = [timed(url) for _ in range(args.runs)]
    pages = -(-Report.objects.count() // 25)
    drawn = [timed(f"{url}?page={rng.randint(1, pages)}") for _ in range(30)]
    members = list(
        CampaignMember.objects.filter(campaign=_largest_campaign())
        .order_by("-report_id")
        .values_list("report_id", flat=True)[:25]
    )
    worst: list[float] = []
    matched = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        counts = inbox_matches(report_ids=members)
        worst.append((time.perf_counter() - started) * 1000)
        matched = max((m.reports for m in counts.values()), default=0)
    load.append(load_average())
    _plans_write(
        args,
        [
            _explained(
                "inbox match counts, 25 members of the largest campaign",
                lambda: inbox_matches(report_ids=members),
            )
        ],
    )
    return {
        "first_page_ms_median": round(statistics.median(first), 1),
        "random_pages": len(drawn),
        "random_page_ms_p50": round(statistics.median(drawn), 1),
        "random_page_ms_p95": round(percentile(drawn, 95), 1),
        "largest_members_matches_ms_median": round(statistics.median(worst), 1),
        "largest_members_most_matches": matched,
        "load_average": load,
    }


PHASES = {
    "import": phase_import_run,
    "correlate": phase_correlate,
    "search": phase_search,
    "campaign": phase_campaign,
    "inbox": phase_inbox,
    "rebuild": phase_rebuild,
}


# --- driver -------------------------------------------------------------------------------------


def _fresh_database(url: str | None, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    if not url:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{data_dir / 'markaz.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", type=Path, default=Path("bench/out/intel"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--workers", type=int, default=-1, help="import workers (default: the command's)"
    )
    parser.add_argument("--trials", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--guard", type=int, default=10000)
    parser.add_argument(
        "--import-seconds", type=int, default=0, help="stop the import after a batch past this"
    )
    parser.add_argument("--phase", choices=sorted(PHASES))
    parser.add_argument("--phases", default=",".join(PHASES), help="which to run, in order")
    parser.add_argument("--input", default="")
    parser.add_argument("--plans", default="")
    args = parser.parse_args()

    if args.phase:
        _django()
        if args.phase != "import":
            from django.core.management import call_command

            # The schema of the code being measured (an index added since the import).
            started = time.perf_counter()
            call_command("migrate", interactive=False, verbosity=0)
            migrated = time.perf_counter() - started
            if migrated > 1:
                print(f"# migrate took {migrated:.1f}s", file=sys.stderr, flush=True)
        figures = PHASES[args.phase](args)
        figures["vmhwm_mb"] = round(vmhwm_mb(), 1)
        print(json.dumps({"phase": args.phase, **figures}, ensure_ascii=False))
        return

    args.workdir.mkdir(parents=True, exist_ok=True)
    source = args.workdir / f"reports-{args.reports}-{args.seed}.jsonl"
    if not source.exists():
        started = time.perf_counter()
        write_input(source, args.reports, args.seed)
        print(f"# generated {source} in {time.perf_counter() - started:.1f}s", flush=True)
    label = "postgresql" if args.database_url else "sqlite"
    data_dir = args.workdir / f"data-{label}"
    plans = args.workdir / f"plans-{label}-{args.reports}.txt"
    env = {**os.environ, "MARKAZ_DATA_DIR": str(data_dir)}
    env["MARKAZ_INTEL_GUARD_REPORTS"] = str(args.guard)
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    phases = args.phases.split(",")
    if "import" in phases:
        _fresh_database(args.database_url or None, data_dir)
        plans.unlink(missing_ok=True)
    for phase in phases:
        command = [sys.executable, __file__, "--phase", phase, "--input", str(source)]
        for option in ("batch", "workers", "trials", "runs", "seed", "import_seconds"):
            command += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
        command += ["--plans", str(plans)]
        done = subprocess.run(  # noqa: S603 - this very script
            command, env=env, check=False, stdout=subprocess.PIPE, text=True
        )
        if done.returncode:
            sys.exit(f"phase {phase} failed")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures["database"] = label
        figures["reports"] = args.reports
        print(json.dumps(figures, ensure_ascii=False), flush=True)
    print(f"# query plans: {plans}", flush=True)


if __name__ == "__main__":
    main()
