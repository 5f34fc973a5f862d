# ruff: noqa: S608  (table and column names below are constants; the values are parameters)
"""`markaz audit verify` finds the first bad event after direct database edits.

Every tampering move is made with raw SQL, as someone with database access would.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from markaz.audit.canonical import leaf_hash_hex
from markaz.audit.checker import leaf_mac
from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent, TreeHead
from markaz.audit.services import audit_checkpoint, audit_record, mac_key
from markaz.audit.verify import audit_verify

TABLE = AuditEvent._meta.db_table
CONTENT_COLUMNS = [
    "at",
    "actor_id",
    "actor_label",
    "source",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "purpose",
    "extra",
    "leaf_hash",
    "leaf_mac",
]


def sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def first(result):
    assert not result.ok
    return result.first_problem


def test_clean_log_verifies(events):
    audit_checkpoint()
    result = audit_verify()
    assert result.ok, result.problems
    assert result.tree_size == AuditEvent.objects.count()
    assert result.heads_checked == 1


def test_modified_row_is_named(events):
    audit_checkpoint()
    victim = events[3]
    sql(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["report.viewed", victim.pk])
    problem = first(audit_verify())
    assert problem.event_id == victim.pk
    assert "modified" in problem.message


def test_modified_row_with_recomputed_hash_is_named(events):
    """Recomputing the public leaf hash does not help: the row's seal needs the key."""
    victim = events[3]
    victim.purpose = "нет"
    prev = AuditEvent.objects.filter(id__lt=victim.pk).order_by("-id").first().leaf_hash
    forged = leaf_hash_hex(victim.fields(), prev=prev)
    sql(
        f"UPDATE {TABLE} SET purpose = %s, leaf_hash = %s WHERE id = %s",
        ["нет", forged, victim.pk],
    )
    problem = first(audit_verify())
    assert problem.event_id == victim.pk
    assert "seal" in problem.message


def test_deleted_row_is_named_by_the_event_after_it(events):
    gone, after = events[4], events[5]
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [gone.pk])
    problem = first(audit_verify())
    assert problem.event_id == after.pk
    assert "deleted" in problem.message
    assert f"ids jump from {events[3].pk} to {after.pk}" in problem.message


def test_deleted_first_row_is_found(events):
    sql(f"DELETE FROM {TABLE} WHERE id <= %s", [events[0].pk])
    problem = first(audit_verify())
    assert problem.event_id == events[1].pk


def test_inserted_row_is_named(events):
    sql(
        f"INSERT INTO {TABLE} (at, actor_label, source, action, target_type, target_id, "
        "target_label, purpose, extra, leaf_hash, leaf_mac) "
        "VALUES (%s, '', '10.0.0.9', 'auth.login', '', '', '', '', '{}', '', '')",
        [events[-1].at],
    )
    inserted = AuditEvent.objects.order_by("-id").first()
    # Later events chain onto the forged one and hide it in the middle of the log.
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED)
    problem = first(audit_verify())
    assert problem.event_id == inserted.pk
    assert "inserted" in problem.message


def test_swapped_rows_are_found(events):
    """Two rows exchange all their contents (hashes and seals included): a reordering."""
    a, b = events[2], events[6]
    cols = ", ".join(CONTENT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols} FROM {TABLE} WHERE id = %s", [a.pk])
        row_a = cursor.fetchone()
        cursor.execute(f"SELECT {cols} FROM {TABLE} WHERE id = %s", [b.pk])
        row_b = cursor.fetchone()
    assignments = ", ".join(f"{c} = %s" for c in CONTENT_COLUMNS)
    sql(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [*row_b, a.pk])
    sql(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [*row_a, b.pk])
    result = audit_verify()
    assert first(result).event_id == a.pk
    assert b.pk in {p.event_id for p in result.problems}


def test_truncation_after_a_signed_head_is_found(events):
    head = audit_checkpoint()
    keep = AuditEvent.objects.filter(id__lt=events[7].pk).count()
    sql(f"DELETE FROM {TABLE} WHERE id >= %s", [events[7].pk])
    problem = first(audit_verify())
    assert problem.position == keep
    assert f"covers {head.tree_size}" in problem.message
    assert "removed" in problem.message


def test_truncation_is_found_with_a_handed_out_head_when_db_heads_are_gone(events, tmp_path):
    handed_out = tmp_path / "head.json"
    handed_out.write_text(json.dumps(audit_checkpoint().as_json()), encoding="utf-8")
    sql(f"DELETE FROM {TreeHead._meta.db_table}")
    sql(f"DELETE FROM {TABLE} WHERE id >= %s", [events[8].pk])
    assert audit_verify().ok  # without the outside copy, a clean cut looks like a short log
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify", "--quiet", "--head", str(handed_out), stderr=StringIO())
    assert failed.value.returncode == 2


def test_rewrite_by_the_key_holder_is_caught_by_the_signed_head(events):
    """Someone with the seal key rewrites a row and re-chains every later row, but cannot
    re-sign without the signing key: the head no longer matches."""
    head = audit_checkpoint()
    key = mac_key()
    rows = list(AuditEvent.objects.order_by("id"))
    changed = next(i for i, e in enumerate(rows) if e.pk == events[5].pk)
    rows[changed].actor_label = "someone-else"
    prev = rows[changed - 1].leaf_hash if changed else ""
    for event in rows[changed:]:
        event.leaf_hash = leaf_hash_hex(event.fields(), prev=prev)
        sql(
            f"UPDATE {TABLE} SET actor_label = %s, leaf_hash = %s, leaf_mac = %s WHERE id = %s",
            [event.actor_label, event.leaf_hash, leaf_mac(key, event.leaf_hash), event.pk],
        )
        prev = event.leaf_hash
    problem = first(audit_verify())
    assert f"signed head #{head.pk}" in problem.message
    assert "does not match the log" in problem.message
    assert problem.position == 0


def test_forged_head_is_rejected(events):
    head = audit_checkpoint()
    sql(
        f"UPDATE {TreeHead._meta.db_table} SET root_hash = %s WHERE id = %s",
        ["00" * 32, head.pk],
    )
    messages = [p.message for p in audit_verify().problems]
    assert any("no valid signature" in m for m in messages)


def test_verify_command_exit_status_and_checkpoint(events):
    out = StringIO()
    call_command("audit", "verify", "--quiet", stdout=out)
    assert "audit log OK" in out.getvalue()
    assert "signed a new head" in out.getvalue()
    assert AuditEvent.objects.filter(action=AuditAction.AUDIT_LOG_VERIFIED).exists()
    sql(f"UPDATE {TABLE} SET source = %s WHERE id = %s", ["1.2.3.4", events[0].pk])
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify", "--quiet", stdout=StringIO(), stderr=err)
    assert failed.value.returncode == 2
    assert f"event {events[0].pk}" in err.getvalue()
    assert "First bad event" in err.getvalue()


def test_checkpoint_refuses_to_sign_a_damaged_log(events):
    sql(f"UPDATE {TABLE} SET purpose = %s WHERE id = %s", ["x", events[2].pk])
    with pytest.raises(CommandError, match="not signed"):
        call_command("audit", "checkpoint", stdout=StringIO())
    assert not TreeHead.objects.exists()
