"""`audit_record_many` appends events exactly as one `audit_record` call per event would."""

from __future__ import annotations

import pytest

from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent, TreeHead
from markaz.audit.services import AuditEntry, audit_record, audit_record_many
from markaz.audit.verify import audit_verify


def _entries(administrator, count: int) -> list[AuditEntry]:
    return [
        AuditEntry(
            actor=administrator if n % 2 else None,
            action=AuditAction.LOGIN_FAILED if n % 3 else AuditAction.LOGIN,
            target=administrator if n % 4 == 0 else None,
            purpose="проверка" if n == 4 else "",
            extra={"n": n, "share": 0.5, "nested": {"b": [1, "два"]}},
        )
        for n in range(count)
    ]


def test_events_chain_and_verify_between_single_calls(db, administrator):
    audit_record(actor=administrator, action=AuditAction.LOGIN)
    events = audit_record_many(entries=_entries(administrator, 9))
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED)
    assert [e.pk for e in events] == list(range(events[0].pk, events[0].pk + 9))
    stored = AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("id")
    assert [(e.leaf_hash, e.leaf_mac) for e in stored] == [
        (e.leaf_hash, e.leaf_mac) for e in events
    ]
    assert stored[1].actor_label == administrator.get_username()
    assert stored[0].target_id == str(administrator.pk)
    assert stored[0].extra["share"] == "0.5"  # floats kept as text, as audit_record keeps them
    result = audit_verify()
    assert result.ok, result.problems
    assert result.tree_size == AuditEvent.objects.count()


def test_heads_are_signed_where_single_calls_would_sign_them(db, administrator, settings):
    settings.MARKAZ_AUDIT_CHECKPOINT_EVERY = 3
    start = AuditEvent.objects.count()  # the administrator's account events came before
    audit_record(actor=administrator, action=AuditAction.LOGIN)
    audit_record_many(entries=_entries(administrator, 8))
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    heads = list(TreeHead.objects.order_by("tree_size").values_list("tree_size", "last_event_id"))
    assert heads == [(ids.index(i) + 1, i) for i in ids[start:] if i % 3 == 0]
    assert len(heads) >= 2
    result = audit_verify()
    assert result.ok, result.problems
    assert result.heads_checked == len(heads)


def test_bad_details_touch_nothing(db, administrator):
    before = AuditEvent.objects.count()
    entries = _entries(administrator, 2) + [
        AuditEntry(actor=None, action=AuditAction.LOGIN, extra={"x": float("nan")})
    ]
    with pytest.raises(ValueError, match="NaN"):
        audit_record_many(entries=entries)
    assert AuditEvent.objects.count() == before


def test_no_entries_no_events(db):
    assert audit_record_many(entries=[]) == []
    assert not AuditEvent.objects.exists()
