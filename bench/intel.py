"""Benchmark of linking (issue 4): bulk import, correlation, search, campaign page, rebuild.

    python bench/intel.py --reports 20000 --workdir /tmp/bench-intel [--database-url URL]

Reports come from the demo generator (``markaz.intake.demo.generate_reports``) with the
campaign cap raised to 5,000 (the generator also caps it at a tenth of the count), written
as a JSON Lines file in the documented import format and loaded with the real
``markaz import`` path (``reports_import``: form rules, ``report_submit``, intel's batch
indexing and linking). Each phase runs in its own process so that its peak memory
(VmHWM) is its own. Figures are printed as JSON lines and a table; EXPLAIN plans of the
hot paths are printed after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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
    from markaz.intake.demo import generate_reports

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

    call_command("migrate", interactive=False, verbosity=0)
    from markaz.intake.models import Report
    from markaz.intel.imports import reports_import

    submitter = _import_user()
    started = time.perf_counter()
    result = reports_import(Path(args.input), submitted_by=submitter, batch_size=args.batch)
    elapsed = time.perf_counter() - started
    return {
        "imported": result.imported,
        "rejected": len(result.rejected),
        "seconds": round(elapsed, 1),
        "reports_per_s": round(result.imported / elapsed, 1),
        "stored": Report.objects.count(),
    }


def _import_user() -> Any:
    import importlib

    command = importlib.import_module("markaz.intel.management.commands.import")
    return command._submitter("")


def phase_correlate(args: argparse.Namespace) -> dict[str, Any]:
    """One new report naming a stored suspect identifier: indexed and linked (the hook's
    work: extraction, upsert, sightings, neighbours, campaign union), then rolled back;
    and the report page's correlation read for a stored campaign report."""
    from django.db import connection, transaction

    from markaz.intake.models import Report, SuspectIdentifier
    from markaz.intake.services import ReportDraft, report_submit
    from markaz.intel import services
    from markaz.intel.models import CampaignMember, Sighting
    from markaz.intel.selectors import report_correlation

    rng = random.Random(args.seed)
    analyst = _analyst()
    members = list(CampaignMember.objects.values_list("report_id", flat=True)[:50000])
    stored = list(
        SuspectIdentifier.objects.filter(
            report_id__in=rng.sample(members, min(2000, len(members)))
        ).values_list("kind", "value")
    )
    index_times: list[float] = []
    read_times: list[float] = []

    class Rollback(Exception):
        pass

    for trial in range(args.trials):
        kind, value = rng.choice(stored)
        draft = ReportDraft(
            category="fraud_marketplace",
            narrative="Пул гирифт ва ҷавоб намедиҳад.",
            language="tg",
            suspect_identifiers=[(kind, value)],
            consent=True,
        )
        try:
            with transaction.atomic():
                with services.reports_index_deferred():
                    report = report_submit(draft=draft, channel="web").report
                    queued = services._deferred.get()
                    queued.clear()  # index it below, timed on its own
                started = time.perf_counter()
                services.reports_index(
                    [report], identifiers={report.pk: [(kind, value)]}, fresh=True
                )
                index_times.append((time.perf_counter() - started) * 1000)
                raise Rollback
        except Rollback:
            pass
        report = Report.objects.get(pk=rng.choice(members))
        started = time.perf_counter()
        report_correlation(user=analyst, report=report)
        read_times.append((time.perf_counter() - started) * 1000)
        del trial
    indicator_ids = list(
        Sighting.objects.filter(report_id=members[0], linking=True).values_list(
            "indicator_id", flat=True
        )
    )
    plan = (
        Sighting.objects.filter(indicator_id__in=indicator_ids, linking=True)
        .order_by()
        .values_list("indicator_id", "report_id")
        .explain()
    )
    return {
        "trials": args.trials,
        "index_new_report_ms_p50": round(statistics.median(index_times), 2),
        "index_new_report_ms_p99": round(percentile(index_times, 99), 2),
        "report_page_correlation_ms_p50": round(statistics.median(read_times), 2),
        "report_page_correlation_ms_p99": round(percentile(read_times, 99), 2),
        "plan_neighbours": plan,
        "vendor": connection.vendor,
    }


def phase_search(args: argparse.Namespace) -> dict[str, Any]:
    from django.db.models import Q

    from markaz.intake.models import SuspectIdentifier
    from markaz.intel.models import Indicator
    from markaz.intel.selectors import indicator_search, search_candidates

    rng = random.Random(args.seed)
    analyst = _analyst()
    typed = list(SuspectIdentifier.objects.values_list("value", flat=True)[:20000])
    queries = [rng.choice(typed) for _ in range(args.trials)]
    times: list[float] = []
    found = 0
    for query in queries:
        started = time.perf_counter()
        found += bool(indicator_search(user=analyst, query=query))
        times.append((time.perf_counter() - started) * 1000)
    condition = Q()
    for kind, value in search_candidates(queries[0]):
        condition |= Q(kind=kind, value=value)
    return {
        "trials": len(queries),
        "found_share": round(found / len(queries), 3),
        "search_ms_p50": round(statistics.median(times), 2),
        "search_ms_p95": round(percentile(times, 95), 2),
        "plan_lookup": Indicator.objects.filter(condition).explain(),
    }


def phase_campaign(args: argparse.Namespace) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from markaz.intel.models import Campaign

    largest = Campaign.objects.order_by("-report_count").first()
    client = Client()
    client.force_login(_analyst())
    url = reverse("intel:campaign_detail", args=[largest.pk])
    times: list[float] = []
    status = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return {
        "campaign_reports": largest.report_count,
        "status": status,
        "page_ms_runs": [round(t, 1) for t in times],
        "page_ms_median": round(statistics.median(times), 1),
    }


def phase_rebuild(args: argparse.Namespace) -> dict[str, Any]:
    from markaz.intel.models import Campaign, CampaignMember, Sighting
    from markaz.intel.services import campaigns_rebuild_all

    before = set(CampaignMember.objects.values_list("report_id", "campaign_id"))
    times: list[float] = []
    for _ in range(min(args.runs, 3)):
        started = time.perf_counter()
        count = campaigns_rebuild_all(actor=None)
        times.append(time.perf_counter() - started)
    after = set(CampaignMember.objects.values_list("report_id", "campaign_id"))
    return {
        "seconds_runs": [round(t, 2) for t in times],
        "seconds_median": round(statistics.median(times), 2),
        "campaigns": count,
        "members": len(after),
        "unchanged": before == after,
        "linking_sightings": Sighting.objects.filter(linking=True).count(),
        "largest": Campaign.objects.order_by("-report_count")
        .values_list("report_count", flat=True)
        .first(),
    }


PHASES = {
    "import": phase_import_run,
    "correlate": phase_correlate,
    "search": phase_search,
    "campaign": phase_campaign,
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
    parser.add_argument("--trials", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--phase", choices=sorted(PHASES))
    parser.add_argument("--input", default="")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()

    if args.phase:
        _django()
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
    env = {**os.environ, "MARKAZ_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if not args.skip_import:
        _fresh_database(args.database_url or None, data_dir)
    for phase in PHASES:
        if phase == "import" and args.skip_import:
            continue
        command = [
            sys.executable,
            __file__,
            "--phase",
            phase,
            "--input",
            str(source),
            "--batch",
            str(args.batch),
            "--trials",
            str(args.trials),
            "--runs",
            str(args.runs),
            "--seed",
            str(args.seed),
        ]
        output = subprocess.run(  # noqa: S603 - this very script
            command, env=env, check=True, capture_output=True, text=True
        ).stdout
        line = output.strip().splitlines()[-1]
        figures = json.loads(line)
        figures["database"] = label
        figures["reports"] = args.reports
        print(json.dumps(figures, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
