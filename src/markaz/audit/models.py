from __future__ import annotations

import base64
import json

from django.conf import settings
from django.db import models

from markaz.audit.canonical import EventFields, utc_text
from markaz.audit.choices import AuditAction
from markaz.audit.signing import head_message


class AuditEvent(models.Model):
    """Who did what to which object, when and from where.

    Written explicitly by services in the same transaction as the change they record.
    Rows are only ever inserted. Each row carries the RFC 9162 leaf hash of its
    canonical bytes (see `markaz.audit.canonical`), chained to the row before it, and a
    keyed MAC of that hash; the events in id order are the leaves of the Merkle tree
    that signed `TreeHead`s commit to.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=64, blank=True)
    # No `choices=` in the column: every app adds actions, and none should need an audit
    # migration for it. `audit_record` accepts only `AuditAction` members.
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    leaf_hash = models.CharField(max_length=64, blank=True)
    leaf_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action} {self.target_label}"
        )

    @property
    def action_label(self) -> str:
        try:
            return str(AuditAction(self.action).label)
        except ValueError:
            return self.action

    @property
    def extra_text(self) -> str:
        if not self.extra:
            return ""
        return json.dumps(self.extra, ensure_ascii=False, sort_keys=True)

    def fields(self) -> EventFields:
        return EventFields(
            id=self.pk,
            at=self.at,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            source=self.source,
            action=self.action,
            target_type=self.target_type,
            target_id=self.target_id,
            target_label=self.target_label,
            purpose=self.purpose,
            extra=self.extra,
        )


class TreeHead(models.Model):
    """A signed statement: "the audit log's first `tree_size` events have this root".

    The signature (Ed25519, over `markaz.audit.signing.head_message`) lets anyone with
    the instance's public key check a head; a head handed to a third party pins the
    log's history up to its size.
    """

    tree_size = models.PositiveBigIntegerField(db_index=True)
    root_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=128)
    # Not signed; they let the next checkpoint continue without re-reading the log. The
    # verifier recomputes everything and does not trust them.
    last_event_id = models.BigIntegerField(null=True, blank=True)
    frontier = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["tree_size", "id"]

    def __str__(self) -> str:
        return f"{self.tree_size} {self.root_hash[:16]} {self.signed_at:%Y-%m-%d %H:%M}"

    def as_json(self) -> dict[str, object]:
        """The head as handed out: everything a third party needs to check it."""
        message = head_message(
            key_id=self.key_id,
            tree_size=self.tree_size,
            root_hash=bytes.fromhex(self.root_hash),
            signed_at=self.signed_at,
        )
        return {
            "origin": f"markaz-audit/{self.key_id}",
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "signed_at": utc_text(self.signed_at),
            "key_id": self.key_id,
            "signed_message": message.decode("utf-8"),
            "signature": base64.b64encode(bytes.fromhex(self.signature)).decode("ascii"),
        }
