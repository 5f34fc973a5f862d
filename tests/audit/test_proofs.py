"""Proofs as an outsider checks them: only the JSON and the public key, no database."""

from __future__ import annotations

import base64
import hashlib
import json
from io import StringIO

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from markaz.audit import merkle
from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent, TreeHead
from markaz.audit.selectors import ProofError, audit_consistency_proof, audit_inclusion_proof
from markaz.audit.services import audit_checkpoint, audit_record
from markaz.audit.signing import public_key, public_key_pem
from markaz.audit.verify import audit_verify


def head_is_signed(head: dict, public_pem: str) -> bool:
    key = load_pem_public_key(public_pem.encode("ascii"))
    message = head["signed_message"].encode("utf-8")
    lines = head["signed_message"].split("\n")
    if lines[1] != str(head["tree_size"]) or base64.b64decode(lines[2]).hex() != head["root_hash"]:
        return False
    try:
        key.verify(base64.b64decode(head["signature"]), message)
    except InvalidSignature:
        return False
    return True


def inclusion_holds(proof: dict) -> bool:
    leaf = hashlib.sha256(b"\x00" + proof["leaf_data"].encode("utf-8")).digest()
    return head_is_signed(proof["head"], proof["public_key"]) and merkle.verify_inclusion(
        proof["leaf_index"],
        proof["tree_size"],
        leaf,
        [bytes.fromhex(h) for h in proof["proof"]],
        bytes.fromhex(proof["head"]["root_hash"]),
    )


def test_inclusion_proof_checks_out_with_the_public_key_only(events):
    audit_checkpoint()
    for event in events:
        proof = json.loads(json.dumps(audit_inclusion_proof(event_id=event.pk)))
        assert json.loads(proof["leaf_data"])["id"] == event.pk
        assert inclusion_holds(proof)


def test_tampered_inclusion_proofs_fail(events):
    audit_checkpoint()
    proof = audit_inclusion_proof(event_id=events[4].pk)
    changed = json.loads(proof["leaf_data"])
    changed["actor_label"] = "someone-else"
    forged = [
        {**proof, "leaf_data": json.dumps(changed, sort_keys=True, separators=(",", ":"))},
        {**proof, "leaf_index": proof["leaf_index"] + 1},
        {**proof, "proof": proof["proof"][:-1]},
        {**proof, "proof": ["00" * 32, *proof["proof"][1:]]},
        {**proof, "head": {**proof["head"], "root_hash": "11" * 32}},
        {**proof, "head": {**proof["head"], "signature": base64.b64encode(b"x" * 64).decode()}},
    ]
    for item in forged:
        assert not inclusion_holds(item)


def test_consistency_proof_between_two_heads(events):
    old = audit_checkpoint()
    for _ in range(7):
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED)
    new = audit_checkpoint()
    proof = audit_consistency_proof(old_size=old.tree_size, new_size=new.tree_size)
    assert head_is_signed(proof["old_head"], proof["public_key"])
    assert head_is_signed(proof["new_head"], proof["public_key"])
    path = [bytes.fromhex(h) for h in proof["proof"]]
    old_root = bytes.fromhex(proof["old_head"]["root_hash"])
    new_root = bytes.fromhex(proof["new_head"]["root_hash"])
    assert merkle.verify_consistency(old.tree_size, new.tree_size, path, old_root, new_root)
    assert not merkle.verify_consistency(
        old.tree_size, new.tree_size, path[::-1], old_root, new_root
    )
    assert not merkle.verify_consistency(
        old.tree_size, new.tree_size, path, merkle.hash_leaf(b"x"), new_root
    )


def test_prove_command_prints_json(events):
    audit_checkpoint()
    out = StringIO()
    call_command("audit", "prove", "--event", str(events[2].pk), stdout=out)
    assert inclusion_holds(json.loads(out.getvalue()))
    out = StringIO()
    call_command("audit", "prove", "--from", "3", "--to", "8", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["old_size"], data["new_size"]) == (3, 8)
    with pytest.raises(CommandError):
        call_command("audit", "prove", "--event", "999999999", stdout=StringIO())


def test_proof_sizes_out_of_range_are_refused(events):
    with pytest.raises(ProofError):
        audit_consistency_proof(old_size=5, new_size=4)
    with pytest.raises(ProofError):
        audit_inclusion_proof(event_id=events[5].pk, tree_size=2)


def test_public_key_command_prints_pem(db):
    out = StringIO()
    call_command("audit", "public-key", stdout=out)
    assert out.getvalue().startswith("-----BEGIN PUBLIC KEY-----")
    load_pem_public_key(out.getvalue().encode("ascii"))


def test_heads_are_signed_automatically_every_n_events(db, settings):
    settings.MARKAZ_AUDIT_CHECKPOINT_EVERY = 4
    for _ in range(9):
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED)
    heads = list(TreeHead.objects.all())
    assert len(heads) >= 2
    assert all(head_is_signed(h.as_json(), proof_key()) for h in heads)
    assert audit_verify().ok


def proof_key() -> str:
    return public_key_pem(public_key(django_settings.MARKAZ_KEY_DIR))


def test_extra_survives_the_database_round_trip(db):
    """Floats become text before hashing, so jsonb cannot change what was hashed."""
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, extra={"x": 1e16, "y": [0.1]})

    assert AuditEvent.objects.get().extra == {"x": "1e+16", "y": ["0.1"]}
    assert audit_verify().ok


def test_a_failing_automatic_checkpoint_never_stops_the_action(db, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    settings.MARKAZ_KEY_DIR = blocker / "keys"
    settings.MARKAZ_AUDIT_CHECKPOINT_EVERY = 1
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED)
    assert AuditEvent.objects.count() == 1
    assert not TreeHead.objects.exists()
