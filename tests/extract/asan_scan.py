"""Memory-safety run of the compiled scan under AddressSanitizer and UBSan, by hand.

    make asan-extract

builds ``_scan.c`` with ``-fsanitize=address,undefined`` into a temporary folder, loads
it in place of the installed module and runs extraction over texts built from the
differential tests' pieces, the labelled corpus and the hostile inputs. Any out-of-bounds
read or write, use after free or undefined behaviour aborts with the sanitizer's report.
Not part of ``make test``: it needs the sanitizer runtimes preloaded (the Makefile does
that) and takes about a minute.

pycryptodomex opens its Keccak library with RTLD_DEEPBIND, which the sanitizer runtime
refuses; a stand-in hash is put in its place for this run (wallet checksums then fail,
which does not matter here: the run is about memory, not answers).
"""

from __future__ import annotations

import hashlib
import importlib.util
import random
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def _stand_in_keccak() -> None:
    fake = types.ModuleType("Cryptodome.Hash.keccak")
    fake.new = lambda digest_bits=256, data=b"": hashlib.sha3_256(data)  # type: ignore[attr-defined]
    for name in ("Cryptodome", "Cryptodome.Hash"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["Cryptodome.Hash"].keccak = fake  # type: ignore[attr-defined]
    sys.modules["Cryptodome.Hash.keccak"] = fake


def main(library: str) -> None:
    _stand_in_keccak()
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))
    spec = importlib.util.spec_from_file_location("markaz.extract._scan", library)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["markaz.extract._scan"] = module

    from markaz.extract import extract, scanner

    assert scanner._scan is module, "the sanitized build was not the one loaded"
    import labelled
    import test_extract_accel as pieces

    rng = random.Random(2026)
    words = pieces.PIECES + pieces.FIXED_PIECES + pieces.WEB_PIECES + pieces.HANDLE_PIECES
    for _ in range(20_000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
        extract(text, card_key=b"asan")
        module.phone_context_ok(text, 0, len(text))
    for report in labelled.load_corpus():
        extract(report.text, card_key=b"asan")
    import test_extract_accel_links as links

    link_parts = (links.SCHEMES, links.SEPARATORS, links.USERS, links.HOSTS, links.PORTS)
    for _ in range(20_000):
        raw = "".join(rng.choice(part) for part in link_parts)
        raw += "".join("/" + rng.choice(links.SEGMENTS) for _ in range(rng.randint(0, 3)))
        module.url_value(raw + rng.choice(links.TAILS))
    for _ in range(20_000):
        host = ".".join(rng.choice(links.HOST_LABELS) for _ in range(rng.randint(1, 4)))
        module.domain_value(host)
        module.email_value(rng.choice(["ivan", "a..b", "x" * 70, ""]) + rng.choice("@@ ") + host)
    wallet_chars = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0lIO"
    for _ in range(20_000):
        prefix = rng.choice(["", "bc1", "BC1", "ltc1", "0x", "T", "1", "3", "4"])
        module.crypto_value(prefix + "".join(rng.choices(wallet_chars, k=rng.randint(0, 140))))
        module.iban_value("".join(rng.choices("GBDE0123456789 ", k=rng.randint(0, 80))))
    for _ in range(20_000):
        run = rng.choice(["", "+", "00", "8 (", "+7 8 "]) + "".join(
            rng.choices("0123456789 -", k=rng.randint(0, 30))
        )
        module.phone_lookup(run, rng.choice(["TJ", "RU", "US"]), "Москва " + run)
    for raw in ["https://a.com/" + "x" * 100_000, "hxxpss:" + "/" * 50_000, "h**p:" + ":" * 9]:
        module.url_value(raw)
    hostile = ["1" * 100_000, "a@" * 50_000, "." * 100_000, "a." * 50_000, "1 " * 50_000]
    hostile += ["ab:" * 30_000, "ва" + "a." * 40_000, "İ" + "1" * 1_000, "@tg " * 20_000]
    for text in hostile:
        extract(text)
    print("compiled scan: no sanitizer report")


if __name__ == "__main__":
    main(sys.argv[1])
