"""Run one extractor over the benchmark corpus, in a process of its own.

Usage: extract_peer.py TOOL CORPUS.jsonl RUNS OUT.json

A peer runs in bench/.venv-peers; TOOL ``markaz`` runs with the project's Python, its
memo emptied before every run, and gives its finds already in normal form.

Writes the CPU seconds of every run and, from the last run, each report's finds as
(kind, raw value) with the peer's kinds mapped onto Markaz's. Values are left as the
peer gave them: bench/extract.py normalises them with Markaz's normaliser.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

Finds = list[tuple[str, str]]

IOCSEARCHER_KINDS = {
    "url": "url",
    "fqdn": "domain",
    "email": "email",
    "ip4": "ipv4",
    "ip6": "ipv6",
    "phoneNumber": "phone",
    "bitcoin": "btc",
    "ethereum": "eth",
    "tron": "trx",
    "litecoin": "ltc",
    "monero": "xmr",
    "iban": "iban",
    "telegramHandle": "telegram",
    "instagramHandle": "instagram",
    "whatsappHandle": "whatsapp",
    "facebookHandle": "facebook",
}
IOCFINDER_KINDS = {
    "urls": "url",
    "domains": "domain",
    "email_addresses": "email",
    "ipv4s": "ipv4",
    "ipv6s": "ipv6",
    "bitcoin_addresses": "btc",
    "monero_addresses": "xmr",
    "phone_numbers": "phone",
}
MSTICPY_KINDS = {"url": "url", "dns": "domain", "email": "email", "ipv4": "ipv4", "ipv6": "ipv6"}


def make(tool: str) -> Callable[[str], Finds]:
    if tool == "markaz":
        from extract import _clear_memo  # bench/extract.py
        from extract_corpus import CARD_KEY
        from markaz.extract import extract

        def run(text: str) -> Finds:
            return [(found.kind, found.value) for found in extract(text, card_key=CARD_KEY)]

        run.before_run = _clear_memo  # type: ignore[attr-defined]
        return run
    if tool == "iocextract":
        import iocextract

        def run(text: str) -> Finds:
            out = [("url", v) for v in iocextract.extract_urls(text, refang=True)]
            out += [("email", v) for v in iocextract.extract_emails(text, refang=True)]
            out += [("ipv4", v) for v in iocextract.extract_ipv4s(text, refang=True)]
            out += [("ipv6", v) for v in iocextract.extract_ipv6s(text)]
            out += [("phone", v) for v in iocextract.extract_telephone_nums(text)]
            return out

        return run
    if tool == "ioc-finder":
        import ioc_finder

        def run(text: str) -> Finds:
            found = ioc_finder.find_iocs(text)
            out = []
            for key, kind in IOCFINDER_KINDS.items():
                for value in found.get(key, ()):
                    out.append((kind, value))
            return out

        return run
    if tool == "iocsearcher":
        from iocsearcher.searcher import Searcher

        searcher = Searcher()

        def run(text: str) -> Finds:
            out = []
            for ioc in searcher.search_data(text):
                kind = IOCSEARCHER_KINDS.get(ioc.name)
                if kind:
                    out.append((kind, ioc.value))
            return out

        return run
    if tool == "msticpy":
        from msticpy.transform.iocextract import IoCExtract

        extractor = IoCExtract()

        def run(text: str) -> Finds:
            out = []
            for key, values in extractor.extract(src=text).items():
                kind = MSTICPY_KINDS.get(key)
                if kind:
                    out.extend((kind, value) for value in values)
            return out

        return run
    raise SystemExit(f"unknown tool {tool}")


def main() -> None:
    tool, corpus, runs, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with open(corpus, encoding="utf-8") as handle:
        texts = [json.loads(line) for line in handle]
    run = make(tool)
    run(texts[0])  # load lazily built tables outside the timed runs
    before_run = getattr(run, "before_run", None)
    seconds = []
    finds: list[Finds] = []
    for _ in range(runs):
        if before_run is not None:
            before_run()
        start = time.process_time()
        finds = [run(text) for text in texts]
        seconds.append(time.process_time() - start)
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump({"seconds": seconds, "finds": finds}, handle, ensure_ascii=False)


if __name__ == "__main__":
    main()
