"""Which of the rarer scans can find anything in a text: one pass of hyperscan.

Each candidate scan of ``scanner`` is a pass of Python's regex engine over the whole
text, at least 4 µs on a report of 600 characters however little it finds; wallets,
IBANs and IP addresses are in a fifth to a third of reports. Hyperscan (the multi-pattern
matcher Suricata runs on hostile traffic) looks for all four in one pass over the text's
UTF-8 bytes, about 3 µs a report, and the scans whose kind it did not see are skipped.

A pattern here only has to match wherever its scan could keep a candidate: it is a
necessary condition (a prefix or a part of every candidate), never the rule itself,
which stays in ``scanner`` alone. A text in which no pattern of a kind matches has no
candidate of that kind; a text in which one matches is scanned as it always was. Where
hyperscan cannot be imported (its wheels are for x86-64 and macOS), every scan runs:
the same finds, slower. ``tests/extract/test_extract_prefilter.py`` checks that no
candidate is ever hidden.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

try:
    import hyperscan
except ImportError:  # pragma: no cover - installed with the package on x86-64 and macOS
    AVAILABLE = False
else:
    AVAILABLE = True

CRYPTO = 1
IBAN = 2
IPV4 = 4
IPV6 = 8
ALL = CRYPTO | IBAN | IPV4 | IPV6

_B58 = rb"[1-9A-HJ-NP-Za-km-z]"
_BECH32 = rb"[02-9ac-hj-np-zAC-HJ-NP-Z]"
_IPV4_DOT = rb"(?:\.|\[\.\]|\(\.\)|\[dot\])"
_HEX4 = rb"[0-9A-Fa-f]{0,4}"

# (kind, pattern): the part of each alternative of scanner._CRYPTO, _IBAN, _IPV4 that
# every match contains; for IPv6, what every address the scan keeps contains (a "::",
# or eight groups: seven colons with at most four hex digits between them).
_PATTERNS = (
    (CRYPTO, rb"0[xX][0-9a-fA-F]{40}"),
    (CRYPTO, rb"[bB][cC]1" + _BECH32 + rb"{8}"),
    (CRYPTO, rb"[lL][tT][cC]1" + _BECH32 + rb"{8}"),
    (CRYPTO, rb"[13LMT]" + _B58 + rb"{24}"),
    (CRYPTO, rb"[48]" + _B58 + rb"{94}"),
    (IBAN, rb"[A-Z]{2}[0-9]{2} ?[A-Z0-9]{4} ?[A-Z0-9]{4}"),
    (IPV4, rb"[0-9]" + (_IPV4_DOT + rb"[0-9]{1,3}") * 2 + _IPV4_DOT + rb"[0-9]"),
    (IPV6, rb"::"),
    (IPV6, rb":" + (_HEX4 + rb":") * 6),
)


@lru_cache(maxsize=1)
def _database() -> hyperscan.Database:
    database = hyperscan.Database()
    database.compile(
        expressions=[pattern for _, pattern in _PATTERNS],
        ids=[kind for kind, _ in _PATTERNS],
        elements=len(_PATTERNS),
        # One report per kind is enough (patterns of one kind share their id).
        flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(_PATTERNS),
    )
    return database


# Hyperscan releases the GIL while it scans, and a scratch space serves one scan at a
# time: each thread gets its own.
_local = threading.local()


def _on_match(kind: int, start: int, end: int, flags: int, seen: Any) -> None:
    seen[0] |= kind


def kinds_present(text: str) -> int:
    """The kinds (bits: CRYPTO, IBAN, IPV4, IPV6) whose scan may find something."""
    if not AVAILABLE:  # pragma: no cover
        return ALL
    database = _database()
    try:
        scratch = _local.scratch
    except AttributeError:
        scratch = _local.scratch = hyperscan.Scratch(database)
    seen = [0]
    # surrogatepass: a str may hold a lone surrogate, which UTF-8 cannot; no pattern
    # here matches any byte of its encoding, as none matches any non-ASCII byte.
    # (data, match_event_handler, flags, context, scratch), positional: a report costs
    # a few µs here, and keyword parsing was a sizeable part of them.
    database.scan(text.encode("utf-8", "surrogatepass"), _on_match, 0, seen, scratch)
    return seen[0]
