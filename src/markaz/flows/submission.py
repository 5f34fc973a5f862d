"""Submitting reports: stored, indexed and linked into campaigns, all or nothing.

One path whether one report arrives (the public form, phone intake, a partner's API
call) or ten thousand (an import, the demo): intake stores them, intel extracts their
indicators and links them, in one transaction that this function owns. A failure in
extraction never costs a report: intel marks it for a later re-read instead
(``reports_index`` with ``fresh=True``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext

from django.db import IntegrityError, transaction

from markaz.core.bulk import statements_pipelined
from markaz.intake.attachments import StoredFile
from markaz.intake.services import (
    Receipt,
    Submission,
    attachments_discard,
    attachments_store,
    identifier_pairs,
    reports_store,
)
from markaz.intel.extraction import Reading, ReadingKey
from markaz.intel.services import reports_index

# Submissions of fewer reports than this are indexed in pipeline mode (PostgreSQL): a
# victim waits for each round trip, and writes can go with the next read. A big batch (an
# import) is bound by volume: its rows go by COPY, which pipeline mode lacks.
PIPELINED_REPORTS = 20


def reports_submit(
    *,
    submissions: Sequence[Submission],
    readings: dict[ReadingKey, Reading] | None = None,
    before_commit: Callable[[], None] | None = None,
) -> list[Receipt]:
    """Store ``submissions``, index and link the new reports; a receipt per submission.

    A partner's repeated external id or idempotency key gets the report stored before
    (``created=False``). When two submissions with the same key race, the loser's
    transaction fails on the unique constraint; it is tried once more, and then finds the
    winner's report. Files are written before the transaction and removed if it does not
    commit, or if their report was a repeat. ``readings``: extracted ahead (an import's
    workers). ``before_commit`` runs last inside the transaction (an import's hook).
    """
    try:
        return _reports_submit_once(submissions, readings, before_commit)
    except IntegrityError:
        return _reports_submit_once(submissions, readings, before_commit)


def _reports_submit_once(
    submissions: Sequence[Submission],
    readings: dict[ReadingKey, Reading] | None,
    before_commit: Callable[[], None] | None,
) -> list[Receipt]:
    stored = attachments_store(submissions)
    try:
        with transaction.atomic(durable=True):
            receipts = reports_store(submissions=submissions, stored=stored)
            new = [receipt.report for receipt in receipts if receipt.created]
            pipelined = len(new) < PIPELINED_REPORTS
            with statements_pipelined() if pipelined else nullcontext():
                reports_index(
                    reports=new,
                    # The identifiers as stored, in their row order: nothing is read back.
                    identifiers={
                        receipt.report.pk: identifier_pairs(item.draft)
                        for receipt, item in zip(receipts, submissions, strict=True)
                        if receipt.created
                    },
                    readings=readings,
                    fresh=True,
                )
            if before_commit is not None:
                before_commit()
    except BaseException:
        attachments_discard(stored)
        raise
    attachments_discard(_files_of_repeats(receipts, stored))
    return receipts


def _files_of_repeats(
    receipts: Sequence[Receipt], stored: Sequence[Sequence[StoredFile]]
) -> list[Sequence[StoredFile]]:
    return [files for receipt, files in zip(receipts, stored, strict=True) if not receipt.created]
