"""Test data made through the services, so tests see what production code writes."""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase

from markaz.flows.submission import reports_submit
from markaz.intake.choices import Channel
from markaz.intake.models import Report
from markaz.intake.services import IncomingAttachment, ReportDraft, Submission


def report_draft(**overrides: object) -> ReportDraft:
    values: dict[str, object] = {
        "category": "fraud_marketplace",
        "narrative": "Фурӯшанда дар Telegram @somon_shop_tj пул гирифт ва телефонро нафиристод.",
        "language": "tg",
        "region": "DU",
        "district": "DU-SIN",
        "loss_amount": Decimal("1500.00"),
        "loss_currency": "TJS",
        "payment_method": "bank_card",
        "suspect_identifiers": [("phone", "93 555 12 34"), ("social", "@somon_shop_tj")],
        "victim_name": "Манижа Раҳимова",
        "victim_phone": "+992917001122",
        "consent": True,
    }
    values.update(overrides)
    return ReportDraft(**values)  # type: ignore[arg-type]


def report_submitted(
    *,
    channel: Channel = Channel.WEB,
    attachments: list[IncomingAttachment] | None = None,
    **overrides: object,
) -> Report:
    """A report submitted as the public form submits it, its transaction's after-commit
    work (watchers' notifications) run as a commit would run it: a test's own transaction
    never commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        receipts = reports_submit(
            submissions=[
                Submission(
                    draft=report_draft(**overrides), channel=channel, attachments=attachments or ()
                )
            ]
        )
    return receipts[0].report
