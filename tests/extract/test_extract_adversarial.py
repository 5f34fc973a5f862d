"""No catastrophic backtracking: hostile 1 MB inputs take time linear in their size."""

from __future__ import annotations

import time

import pytest

from markaz.extract import extract

MB = 1_000_000

ADVERSARIAL = {
    "digit run": lambda n: "7" * n,
    "spaced digits": lambda n: ("1 " * n)[:n],
    "a@a@": lambda n: ("a@" * n)[:n],
    "dots": lambda n: "." * n,
    "a.a.": lambda n: ("a." * n)[:n],
    "hex colons": lambda n: ("a:" * n)[:n],
    "base58": lambda n: ("1A" * n)[:n],
    "schemes": lambda n: ("http://" * n)[:n],
    "long url": lambda n: "http://a.com/" + "a" * (n - 13),
    "defanged dots": lambda n: ("a[.]" * n)[:n],
    "cyrillic and latin": lambda n: ("аa." * n)[:n],
    "handles": lambda n: ("@a" * n)[:n],
    "phone-like groups": lambda n: ("93 555 12 3 " * n)[:n],
    "brackets and dashes": lambda n: ("(1-" * n)[:n],
}


def _seconds(text: str) -> float:
    # CPU time, not wall time: the test machine may be shared.
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        extract(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_one_megabyte_of_hostile_text_is_linear(name):
    make = ADVERSARIAL[name]
    quarter = _seconds(make(MB // 4))
    full = _seconds(make(MB))
    assert full < 15.0, f"{name}: {full:.2f} s for 1 MB"
    # Linear means about 4x for 4x the input; quadratic would be 16x. Small inputs are
    # noisy, so allow a floor of 50 ms for the quarter.
    assert full <= 8 * max(quarter, 0.05), f"{name}: {quarter:.3f} s -> {full:.3f} s"
