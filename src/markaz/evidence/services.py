"""Writes on evidence: acquiring items, recording custody, downloads and court packages.

Every service that changes the chain of custody writes its `CustodyEvent` and its audit
event in one transaction. Sealed bytes are put in the store before that transaction: a
blob whose item never committed is an unused, still sealed, content-addressed file, while
the other order could leave an item without its bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.cases.models import Case, CaseReport
from markaz.evidence.choices import RECORDABLE_KINDS, CustodyKind, EvidenceKind, EvidenceState
from markaz.evidence.models import CustodyEvent, EvidenceItem
from markaz.evidence.store import Received, commit_received, discard_received, receive_stream
from markaz.intake.attachments import attachment_path
from markaz.intake.models import Attachment


@dataclass(frozen=True)
class Circumstances:
    """Where, why and on whose authority something is done with an item."""

    location: str = ""
    purpose: str = ""
    authority: str = ""
    note: str = ""

    def cleaned(self) -> Circumstances:
        return Circumstances(
            self.location.strip()[:200],
            self.purpose.strip()[:500],
            self.authority.strip()[:500],
            self.note.strip(),
        )


def _holder_label(user: User) -> str:
    return user.get_username()


def _next_number(case: Case) -> str:
    # The case row is locked by the caller, so two acquisitions never take the same number.
    return f"E{EvidenceItem.objects.filter(case=case).count() + 1}"


def _custody_event(
    *,
    item: EvidenceItem,
    kind: CustodyKind,
    actor: User,
    circumstances: Circumstances,
    from_party: str = "",
    to_party: str = "",
) -> CustodyEvent:
    event = CustodyEvent.objects.create(
        item=item,
        kind=kind,
        at=timezone.now(),
        actor=actor,
        from_party=from_party[:200],
        to_party=to_party[:200],
        location=circumstances.location,
        purpose=circumstances.purpose,
        authority=circumstances.authority,
        note=circumstances.note,
    )
    audit_record(
        actor=actor,
        action=AuditAction.EVIDENCE_CUSTODY,
        target=item,
        purpose=circumstances.purpose,
        extra={
            "custody": kind.value,
            "event": event.pk,
            "from": event.from_party,
            "to": event.to_party,
            "location": event.location,
            "authority": event.authority,
        },
    )
    return event


@transaction.atomic
def _acquire(
    *,
    case: Case,
    kind: EvidenceKind,
    description: str,
    actor: User,
    circumstances: Circumstances,
    **fields: object,
) -> EvidenceItem:
    if not description.strip():
        raise ValidationError(_("Describe the evidence."))
    circumstances = circumstances.cleaned()
    case = Case.objects.select_for_update().get(pk=case.pk)
    item = EvidenceItem.objects.create(
        case=case,
        number=_next_number(case),
        kind=kind,
        description=description.strip(),
        acquired_by=actor,
        acquired_at=timezone.now(),
        holder=_holder_label(actor),
        location=circumstances.location,
        **fields,
    )
    _custody_event(
        item=item,
        kind=CustodyKind.ACQUIRED,
        actor=actor,
        circumstances=circumstances,
        to_party=item.holder,
    )
    audit_record(
        actor=actor,
        action=AuditAction.EVIDENCE_ADDED,
        target=item,
        purpose=circumstances.purpose,
        extra={
            "case": case.number,
            "kind": kind.value,
            "sha256": item.sha256,
            "size": item.size,
            "seal": item.seal_number,
        },
    )
    return item


def evidence_add_file(
    *,
    case: Case,
    received: Received,
    original_name: str,
    content_type: str,
    description: str,
    actor: User,
    circumstances: Circumstances,
) -> EvidenceItem:
    """Add an uploaded file whose bytes were sealed (and hashed) as they streamed in."""
    if not description.strip():
        discard_received(received)
        raise ValidationError(_("Describe the evidence."))
    commit_received(received)
    return _acquire(
        case=case,
        kind=EvidenceKind.FILE,
        description=description,
        actor=actor,
        circumstances=circumstances,
        original_name=original_name[:255],
        content_type=(content_type or "application/octet-stream")[:100],
        size=received.size,
        sha256=received.sha256,
    )


def evidence_promote_attachment(
    *,
    case: Case,
    attachment: Attachment,
    description: str,
    actor: User,
    circumstances: Circumstances,
) -> EvidenceItem:
    """Make a victim's attachment from one of the case's reports an evidence item.

    The file must still match the hash intake took when the victim sent it.
    """
    if not CaseReport.objects.filter(case=case, report_id=attachment.report_id).exists():
        raise ValidationError(_("That attachment is not from a report of this case."))
    if EvidenceItem.objects.filter(case=case, source_attachment=attachment).exists():
        raise ValidationError(_("That attachment is already evidence in this case."))
    try:
        with attachment_path(attachment.stored_name).open("rb") as source:
            received = receive_stream(source)
    except (OSError, ValueError) as error:
        raise ValidationError(_("The attachment's file cannot be read.")) from error
    if received.sha256 != attachment.sha256 or received.size != attachment.size:
        discard_received(received)
        raise ValidationError(
            _("The attachment no longer matches the hash taken when it was received.")
        )
    commit_received(received)
    return _acquire(
        case=case,
        kind=EvidenceKind.ATTACHMENT,
        description=description or attachment.original_name,
        actor=actor,
        circumstances=circumstances,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
        size=received.size,
        sha256=received.sha256,
        source_attachment=attachment,
    )


def evidence_add_physical(
    *,
    case: Case,
    description: str,
    seal_number: str,
    actor: User,
    circumstances: Circumstances,
) -> EvidenceItem:
    """Record a physical item (a seized phone, a paper statement) by its seal number."""
    if not circumstances.location.strip():
        raise ValidationError(_("Say where the item is kept."))
    return _acquire(
        case=case,
        kind=EvidenceKind.PHYSICAL,
        description=description,
        actor=actor,
        circumstances=circumstances,
        seal_number=seal_number.strip()[:100],
    )


@transaction.atomic(durable=True)
def custody_record(
    *,
    item: EvidenceItem,
    kind: CustodyKind,
    actor: User,
    circumstances: Circumstances,
    to_party: str = "",
) -> CustodyEvent:
    """Add a link to the chain: a transfer, an examination, a return or the destruction."""
    kind = CustodyKind(kind)
    if kind not in RECORDABLE_KINDS:
        raise ValidationError(_("This kind of custody event is recorded by Markaz itself."))
    circumstances = circumstances.cleaned()
    to_party = to_party.strip()
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    _custody_check(item=item, kind=kind, circumstances=circumstances, to_party=to_party)
    from_party = item.holder
    _custody_outcome(item=item, kind=kind, location=circumstances.location, to_party=to_party)
    return _custody_event(
        item=item,
        kind=kind,
        actor=actor,
        circumstances=circumstances,
        from_party=from_party,
        to_party=to_party if kind != CustodyKind.EXAMINED else "",
    )


def _custody_check(
    *, item: EvidenceItem, kind: CustodyKind, circumstances: Circumstances, to_party: str
) -> None:
    """Refuse a link the chain cannot take: after destruction, without a purpose, or
    handing the item over to no one."""
    if item.state == EvidenceState.DESTROYED:
        raise ValidationError(_("The item was destroyed; its chain of custody is closed."))
    if not circumstances.purpose:
        if kind == CustodyKind.TRANSFERRED:
            raise ValidationError(_("A transfer needs a purpose: say why the item changes hands."))
        raise ValidationError(_("Give the purpose."))
    if kind in (CustodyKind.TRANSFERRED, CustodyKind.RETURNED) and not to_party:
        raise ValidationError(_("Say to whom the item goes."))


def _custody_outcome(
    *, item: EvidenceItem, kind: CustodyKind, location: str, to_party: str
) -> None:
    """Keep the item's holder, location and state as the new link leaves them."""
    changed: list[str] = []
    if kind in (CustodyKind.TRANSFERRED, CustodyKind.RETURNED):
        item.holder = to_party[:200]
        changed.append("holder")
    if location and kind != CustodyKind.EXAMINED:
        item.location = location
        changed.append("location")
    if kind == CustodyKind.RETURNED:
        item.state = EvidenceState.RETURNED
        changed.append("state")
    elif kind == CustodyKind.DESTROYED:
        item.state = EvidenceState.DESTROYED
        changed.append("state")
    if changed:
        item.save(update_fields=changed)


@transaction.atomic(durable=True)
def evidence_record_download(*, item: EvidenceItem, actor: User, purpose: str) -> CustodyEvent:
    """A person takes a copy of the original: a `copied` link and an audit event."""
    if not item.is_digital:
        raise ValidationError(_("A physical item has no file to download."))
    if not purpose.strip():
        raise ValidationError(_("Give the purpose."))
    circumstances = Circumstances(purpose=purpose).cleaned()
    event = _custody_event(
        item=item,
        kind=CustodyKind.COPIED,
        actor=actor,
        circumstances=circumstances,
        from_party=item.holder,
        to_party=_holder_label(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.EVIDENCE_DOWNLOADED,
        target=item,
        purpose=circumstances.purpose,
        extra={"sha256": item.sha256, "size": item.size},
    )
    return event


@transaction.atomic(durable=True)
def package_record_export(
    *,
    case: Case,
    items: Sequence[EvidenceItem],
    actor: User,
    circumstances: Circumstances,
    package_sha256: str,
    package_name: str,
) -> None:
    """After the package is written: an `exported` link on every item, one audit event."""
    for item in items:
        _custody_event(
            item=item,
            kind=CustodyKind.EXPORTED,
            actor=actor,
            circumstances=Circumstances(
                location=circumstances.location,
                purpose=circumstances.purpose,
                authority=circumstances.authority,
                note=package_name,
            ),
            from_party=item.holder,
            to_party=_holder_label(actor),
        )
    audit_record(
        actor=actor,
        action=AuditAction.EVIDENCE_PACKAGE_EXPORTED,
        target=case,
        purpose=circumstances.purpose,
        extra={
            "items": [item.number for item in items],
            "package": package_name,
            "package_sha256": package_sha256,
        },
    )
