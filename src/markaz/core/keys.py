"""Instance secrets kept in the data directory, never in the repository or the database.

Each secret is created on first use with mode 0600, so a fresh installation needs no
set-up and a copied database alone does not reveal card hashes or signing keys.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# Secrets already read, by data directory and name. A secret never changes while the
# instance runs (a new card key would orphan every card hash made with the old one), so
# each process reads it once: a bulk import asks for the card key once per report (and
# building its path each time took 4-5 % of an import worker's time).
_known: dict[tuple[str, str], str] = {}


def instance_secret(data_dir: Path | str, name: str, *, nbytes: int = 48) -> str:
    """Return the hex secret `name` from `data_dir/keys`, creating it (0600) if absent."""
    key = (os.fspath(data_dir), name)
    known = _known.get(key)
    if known is None:
        known = _known[key] = _secret_read_or_create(Path(data_dir) / "keys" / name, nbytes)
    return known


def _secret_read_or_create(path: Path, nbytes: int) -> str:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    value = secrets.token_hex(nbytes)
    # O_EXCL: if two processes start at once, one creates the file and the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
    return value
