"""Benchmark markaz.extract against iocsearcher, iocextract, ioc-finder and msticpy.

    python bench/extract.py [--mb 20] [--runs 3] [--seed 2026] [--unique] [--parallel]
                            [--alternate PEER] [--no-write]

Generates the seeded corpus (bench/extract_corpus.py), runs Markaz and every peer (in
bench/.venv-peers) each in a process of its own through bench/extract_peer.py, timing
its own CPU (one tool after another, or all at once with --parallel; with --alternate,
Markaz and one peer by turns as well), scores every tool against the labels the
generator recorded, measures Markaz on hostile inputs, and writes the "## Extraction"
section of bench/RESULTS.md.

Throughput is CPU seconds (time.process_time) of the extraction calls only, median of
the runs: the benchmark machine is shared, and CPU time is what a busy machine does not
distort much. Peers' finds are mapped onto Markaz's kinds and normalised with
markaz.extract.normalize before comparison (a value it rejects is kept as written).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from extract_corpus import CARD_KEY, BenchReport, generate  # noqa: E402
from markaz.extract import KINDS, InvalidIndicator, extract, normalize, prefilter  # noqa: E402

PEERS = ["iocsearcher", "iocextract", "ioc-finder", "msticpy"]
PEER_PYTHON = ROOT / "bench" / ".venv-peers" / "bin" / "python"
RESULTS = ROOT / "bench" / "RESULTS.md"
TARGET = 3  # issue 18: Markaz at least 3x the MB/s of the fastest peer


class Tally:
    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()

    def prf(self, kind: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score(reports: list[BenchReport], finds: list[set[tuple[str, str]]], kinds: set[str]) -> Tally:
    """Set comparison per report, on the kinds the tool reports; neutral values (a URL's
    host, a profile link's URL) count neither way."""
    tally = Tally()
    for report, found in zip(reports, finds, strict=True):
        for item in found - report.neutral:
            if item in report.labels:
                tally.tp[item[0]] += 1
            else:
                tally.fp[item[0]] += 1
        for item in report.labels - found:
            if item[0] in kinds:
                tally.fn[item[0]] += 1
    return tally


def normalised(kind: str, value: str) -> tuple[str, str]:
    try:
        return kind, normalize(kind, value, card_key=CARD_KEY)
    except (InvalidIndicator, ValueError):
        return kind, value


def run_markaz(
    corpus_path: Path, runs: int, out: Path
) -> tuple[list[float], list[set[tuple[str, str]]]]:
    """Markaz in a process of its own, as every peer runs (bench/extract_peer.py): the
    benchmark's own heap (the labelled corpus, the scores) stays out of its collector's
    way, as the peers' is. Memo emptied before every run."""
    cmd = [sys.executable, str(ROOT / "bench" / "extract_peer.py"), "markaz"]
    subprocess.run([*cmd, str(corpus_path), str(runs), str(out)], check=True)
    data = json.loads(out.read_text("utf-8"))
    return data["seconds"], [{(kind, value) for kind, value in found} for found in data["finds"]]


def write_corpus(path: Path, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for text in texts:
            handle.write(json.dumps(text, ensure_ascii=False) + "\n")
    return path


PEER_KINDS = {
    "iocsearcher": {
        "url",
        "domain",
        "email",
        "ipv4",
        "ipv6",
        "phone",
        "btc",
        "eth",
        "trx",
        "ltc",
        "xmr",
        "iban",
        "telegram",
        "instagram",
        "whatsapp",
        "facebook",
    },
    "iocextract": {"url", "email", "ipv4", "ipv6", "phone"},
    "ioc-finder": {"url", "domain", "email", "ipv4", "ipv6", "phone", "btc", "xmr"},
    "msticpy": {"url", "domain", "email", "ipv4", "ipv6"},
}


def adversarial_table() -> list[tuple[str, list[float]]]:
    makers = {
        "digit run": lambda n: "7" * n,
        "a@a@a@...": lambda n: ("a@" * n)[:n],
        "dots": lambda n: "." * n,
        "a.a.a...": lambda n: ("a." * n)[:n],
        "1 1 1 ...": lambda n: ("1 " * n)[:n],
        "hex colons": lambda n: ("a:" * n)[:n],
        "Cyrillic+Latin+dot": lambda n: ("аa." * n)[:n],
    }
    extract("10.0.0.1")  # builds what is built once (compiled patterns), outside the timings
    rows = []
    for name, make in makers.items():
        times = []
        for size in (250_000, 500_000, 1_000_000):
            text = make(size)
            start = time.process_time()
            extract(text)
            times.append(time.process_time() - start)
        rows.append((name, times))
    return rows


def labelled_table() -> list[tuple[str, int, float, float]]:
    path = ROOT / "tests" / "extract" / "labelled.py"
    spec = importlib.util.spec_from_file_location("markaz_extract_labelled", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    reports = module.load_corpus()
    result = module.score(
        reports,
        lambda text: [
            (f.kind, f.value, f.start, f.end) for f in extract(text, card_key=module.CARD_KEY)
        ],
    )
    return [(k, result.tp[k] + result.fn[k], result.precision(k), result.recall(k)) for k in KINDS]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument(
        "--parallel",
        action="store_true",
        help="run the peers beside Markaz instead of one tool after another",
    )
    parser.add_argument(
        "--alternate",
        metavar="PEER",
        help="then time Markaz and PEER by turns, one run each per round (--runs rounds): "
        "a machine whose speed drifts during the benchmark slows both alike",
    )
    parser.add_argument(
        "--unique",
        action="store_true",
        help="a corpus in which no labelled value occurs twice (no memo can help)",
    )
    args = parser.parse_args()

    reports = generate(int(args.mb * 1_000_000), seed=args.seed, unique=args.unique)
    texts = [r.text for r in reports]
    size_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    labels = sum(len(r.labels) for r in reports)
    print(f"corpus: {len(reports)} reports, {size_mb:.1f} MB, {labels} labelled indicators")

    tmp = Path(tempfile.mkdtemp(prefix="markaz-bench-"))
    corpus_path = write_corpus(tmp / "corpus.jsonl", texts)

    procs: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    errors: dict[str, str] = {}
    peers = [p for p in args.peers.split(",") if p]
    if not PEER_PYTHON.exists():
        errors.update(dict.fromkeys(peers, "bench/.venv-peers is missing"))
        peers = []

    def start(peer: str, runs: int = args.runs) -> tuple[subprocess.Popen[bytes], Path]:
        out = tmp / f"{peer}.json"
        cmd = [
            str(PEER_PYTHON),
            str(ROOT / "bench" / "extract_peer.py"),
            peer,
            str(corpus_path),
            str(runs),
            str(out),
        ]
        err = (tmp / f"{peer}.err").open("wb")
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err), out

    if args.parallel:
        for peer in peers:
            procs[peer] = start(peer)

    load = [os.getloadavg()[0]]
    results: dict[str, tuple[list[float], list[set[tuple[str, str]]], set[str]]] = {}
    seconds, finds = run_markaz(corpus_path, args.runs, tmp / "markaz.json")
    results["markaz"] = (seconds, finds, set(KINDS))
    print(f"markaz: {size_mb / statistics.median(seconds):.2f} MB/s (CPU)")
    unique: tuple[float, int, float, int] | None = None
    if not args.unique:
        # The same measure on a corpus where no labelled value occurs twice: what
        # Markaz's memo of candidate checks cannot help with.
        unique_reports = generate(int(args.mb * 1_000_000), seed=args.seed, unique=True)
        unique_texts = [r.text for r in unique_reports]
        unique_mb = sum(len(t.encode("utf-8")) for t in unique_texts) / 1e6
        unique_path = write_corpus(tmp / "unique.jsonl", unique_texts)
        unique_seconds, _ = run_markaz(unique_path, args.runs, tmp / "markaz-unique.json")
        running = sum(proc.poll() is None for proc, _ in procs.values())
        unique = (unique_mb, len(unique_texts), statistics.median(unique_seconds), running)
        print(f"markaz, unique corpus: {unique_mb / unique[2]:.2f} MB/s (CPU)")

    for peer in peers:
        if peer not in procs:  # one at a time: each tool has the machine to itself
            procs[peer] = start(peer)
        proc, out = procs[peer]
        code = proc.wait()
        if code != 0 or not out.exists():
            tail = (tmp / f"{peer}.err").read_text("utf-8", "replace").strip().splitlines()[-3:]
            errors[peer] = f"exit {code}: " + " / ".join(tail)
            print(f"{peer}: FAILED {errors[peer]}")
            continue
        data = json.loads(out.read_text("utf-8"))
        peer_finds = [{normalised(k, v) for k, v in found} for found in data["finds"]]
        results[peer] = (data["seconds"], peer_finds, PEER_KINDS[peer])
        print(f"{peer}: {size_mb / statistics.median(data['seconds']):.3f} MB/s (CPU)")

    # Markaz and one peer by turns: each round's two runs see the machine alike.
    alternation: list[tuple[float, float]] = []
    if args.alternate and PEER_PYTHON.exists():
        for _ in range(args.runs):
            # two runs each, the second counted: a fresh process's first run also
            # builds what it builds once (compiled patterns, loaded tables)
            markaz_seconds, _ = run_markaz(corpus_path, 2, tmp / "markaz-round.json")
            proc, out = start(args.alternate, runs=2)
            if proc.wait() != 0 or not out.exists():
                print(f"{args.alternate}: FAILED in the alternation")
                break
            peer_seconds = json.loads(out.read_text("utf-8"))["seconds"][-1]
            alternation.append((size_mb / markaz_seconds[-1], size_mb / peer_seconds))
            print(
                f"round {len(alternation)}: markaz {alternation[-1][0]:.2f} MB/s, "
                f"{args.alternate} {alternation[-1][1]:.2f} MB/s"
            )
    load.append(os.getloadavg()[0])
    lines = render(args, reports, size_mb, labels, results, errors, unique, load, alternation)
    print("\n".join(lines))
    if not args.no_write:
        write_section("\n".join(lines))


def _clear_memo() -> None:
    """Empty Markaz's bounded memo of candidate checks, so that a run starts cold."""
    from markaz.extract import phones, scanner, web

    phones.phone_e164.cache_clear()
    web.host_ok.cache_clear()
    web._plain_cyrillic_ace.cache_clear()
    for name in ("_email_value", "_domain_value", "_url_value", "_iban_value", "_crypto_value"):
        getattr(scanner, name).cache_clear()


VARIANTS = (
    "Forms written, as victims type them (shares within the kind): phones in nine Tajik "
    "layouts (+992 with spaces, brackets or dashes, national, 992 without +, 0-prefixed), "
    "Russian +7 and 8 (9xx) numbers after a mention of Russia, Uzbek +998; e-mails 20% "
    "defanged ([at]/[.], (at)/(dot), [@]/[.], spaced [at]/[dot]), 5% on an IDN host "
    "(`имя@бонус12.рф`); URLs 10% `hxxps://` with `[.]`, 5% `hxxps[:]//`, 7% on an IDN "
    "host (.рф, .рус, Cyrillic .com), 8% short links without scheme (bit.ly, cutt.ly, "
    "clck.ru); domains 8% IDN, 10% defanged ([.] or (dot)), 10% with www.; ETH 70% "
    "EIP-55 mixed case; bech32 BTC 10% upper case; LTC 40% ltc1; XMR 30% subaddresses; "
    "cards in groups of four (space or dash) or unbroken; IBANs 60% in groups of four; "
    "@handles after a network mention; profile links (t.me, t.me/s/, instagram.com, "
    "vk.com, facebook.com, facebook.com/profile.php?id=, fb.com, m.facebook.com, "
    "tiktok.com/@, ok.ru, wa.me), 30% without scheme. In Russian and Tajik reports one "
    "indicator in ten that starts with a Latin letter or digit is glued to the Cyrillic "
    "word before it, and one in twenty that ends with one is glued to the word after it; "
    "an indicator ends with a full stop, comma, semicolon, dash or nothing."
)


def _commit() -> str:
    """The checked-out commit, for the record (``unknown`` outside a git checkout)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


def render(  # noqa: ANN001
    args, reports, size_mb, labels, results, errors, unique, load, alternation
) -> list[str]:
    lines = ["## Extraction", ""]
    lines += [
        f"`python bench/extract.py --mb {args.mb:g} --runs {args.runs} --seed {args.seed}"
        + (f" --alternate {args.alternate}" if args.alternate else "")
        + "`, "
        f"run {time.strftime('%Y-%m-%d')} (UTC date), Python {sys.version.split()[0]}, "
        f"commit {_commit()}.",
        "",
        "Markaz here is Python alone: issue 18 removed its compiled scan (`_scan.c`); "
        "hyperscan "
        + ("(installed) " if prefilter.AVAILABLE else "(**not installed**: every scan ran) ")
        + "tells it in one pass which of the wallet, IBAN and IP scans can find anything "
        "in a report, and the rest is `re`, the standard library, phonenumbers, "
        "python-stdnum, tldextract and pycryptodomex (docs/extract.md).",
        "",
        f"Corpus: {len(reports)} synthetic reports ({size_mb:.1f} MB; Tajik, Russian, English), "
        f"{labels} indicators labelled by the generator (`bench/extract_corpus.py`, seed "
        f"{args.seed}), about {labels / (size_mb * 1000):.1f} per KB, with dates, amounts, "
        "versions, file names, passport and tax numbers, masked cards, MAC addresses and "
        "hashes as negatives.",
        "",
        VARIANTS,
        "",
        "Throughput is CPU time (`time.process_time`) of the extraction calls alone, median "
        f"of {args.runs} runs; every tool ran in a process of its own that holds only the "
        "corpus's texts (Markaz with the project's Python, its memo emptied before every "
        "run; the peers in bench/.venv-peers), "
        + (
            "at the same time as Markaz"
            if args.parallel
            else "one tool after another (Markaz first), none beside another"
        )
        + ", on a shared machine. Peers' kinds are mapped onto Markaz's and "
        "their values normalised with `markaz.extract.normalize` before comparison; a URL's "
        "host, an e-mail's domain and a profile link's URL are neutral (neither right nor "
        "wrong); recall counts only the kinds a tool claims to support. "
        f"Load average (1 min) of the machine at start and end: {load[0]:.2f}, {load[-1]:.2f} "
        f"({os.cpu_count()} CPUs, shared with other work).",
        "",
        "| tool | MB/s | reports/s | × fastest peer |",
        "| --- | ---: | ---: | ---: |",
    ]
    speeds = {tool: size_mb / statistics.median(sec) for tool, (sec, _, _) in results.items()}
    peer_best = max((v for k, v in speeds.items() if k != "markaz"), default=0.0)
    for tool, (sec, _, _) in results.items():
        ratio = f"{speeds[tool] / peer_best:.1f}" if peer_best else "-"
        lines.append(
            f"| {tool} | {speeds[tool]:.3f} | {len(reports) / statistics.median(sec):.0f} | {ratio} |"
        )
    for tool, why in errors.items():
        lines.append(f"| {tool} | failed: {why} | | |")
    if peer_best and "markaz" in speeds:
        best_peer = max((k for k in speeds if k != "markaz"), key=speeds.__getitem__)
        ratio = speeds["markaz"] / peer_best
        verdict = "met" if ratio >= TARGET else "**not met**"
        lines += [
            "",
            f"Target (issue 18, Markaz in Python alone): at least {TARGET}× the fastest peer "
            f"({best_peer}, {peer_best:.3f} MB/s), i.e. {TARGET * peer_best:.2f} MB/s: "
            f"{verdict} in this table (Markaz {speeds['markaz']:.3f} MB/s, {ratio:.1f}×).",
        ]
    if alternation:
        ratios = [markaz / peer for markaz, peer in alternation]
        rounds = "; ".join(
            f"{markaz:.2f} / {peer:.2f} MB/s ({markaz / peer:.1f}×)" for markaz, peer in alternation
        )
        lines += [
            "",
            f"By turns (`--alternate {args.alternate}`): after the table above, {len(alternation)} "
            f"rounds of Markaz then {args.alternate} on the same corpus, each in a fresh "
            "process, two runs each and the second counted (memo emptied), so that the two "
            "tools of a round see the machine alike; Markaz / "
            f"{args.alternate} per round: {rounds}. Median ratio "
            f"**{statistics.median(ratios):.1f}×** (target {TARGET}×: "
            + ("met" if statistics.median(ratios) >= TARGET else "**not met**")
            + ").",
        ]
    if unique is not None and "markaz" in speeds:
        unique_mb, unique_n, unique_sec, running = unique
        seen: set[tuple[str, str]] = set()
        total = repeated = 0
        for report in reports:
            total += report.written
            repeated += len(report.labels & seen) + report.written - len(report.labels)
            seen |= report.labels
        repeats = repeated / total if total else 0.0
        lines += [
            "",
            "Markaz memoises the context-free checks of a candidate's text (phone, e-mail, "
            "domain, host, URL, IBAN, wallet and a Cyrillic host label's punycode; bounded "
            "`functools.lru_cache`, 4096 entries "
            "each; never card numbers): reports about one scheme repeat its phones, sites "
            "and wallets. The caches are emptied before every timed run. In this corpus "
            f"{repeats:.2%} of the labelled indicators repeat a value written earlier. On a "
            "corpus of the same size in which no labelled value occurs twice (`--unique`: "
            f"{unique_n} reports, {unique_mb:.1f} MB), Markaz ran at "
            f"{unique_mb / unique_sec:.3f} MB/s ({unique_n / unique_sec:.0f} reports/s) "
            f"in the same run, right after the main runs"
            + (
                f" ({running} of the peers' processes still running beside it when it ended)."
                if args.parallel
                else ", before the peers started."
            ),
        ]
    lines += ["", "Precision / recall / F1 per kind (— : kind not supported by the tool):", ""]
    tools = list(results)
    lines.append("| kind | n | " + " | ".join(tools) + " |")
    lines.append("| --- | ---: | " + " | ".join("---" for _ in tools) + " |")
    tallies = {tool: score(reports, finds, kinds) for tool, (_, finds, kinds) in results.items()}
    counts = Counter(kind for r in reports for kind, _ in r.labels)
    for kind in KINDS:
        cells = []
        for tool in tools:
            if kind not in results[tool][2]:
                cells.append("—")
                continue
            p, r, f = tallies[tool].prf(kind)
            cells.append(
                f"{p:.3f} / {r:.3f} / **{f:.3f}**"
                if tool == "markaz"
                else f"{p:.3f} / {r:.3f} / {f:.3f}"
            )
        lines.append(f"| {kind} | {counts[kind]} | " + " | ".join(cells) + " |")
    lines += ["", *ties(tallies, results)]

    lines += ["", "Markaz on hostile inputs (CPU seconds; linear means ×2 per doubling):", ""]
    lines += ["| input | 0.25 MB | 0.5 MB | 1 MB |", "| --- | ---: | ---: | ---: |"]
    for name, times in adversarial_table():
        lines.append(f"| {name} | " + " | ".join(f"{t:.3f}" for t in times) + " |")

    lines += ["", "Markaz on the hand-labelled corpus in tests/extract/corpus (span-exact):", ""]
    lines += ["| kind | n | precision | recall |", "| --- | ---: | ---: | ---: |"]
    for kind, n, p, r in labelled_table():
        lines.append(f"| {kind} | {n} | {p:.3f} | {r:.3f} |")
    return lines


def ties(tallies: dict[str, Tally], results: dict) -> list[str]:  # noqa: ANN001
    """Say, per kind, which peers Markaz does not beat on F1 (three decimals)."""
    if "markaz" not in tallies:
        return []
    notes = []
    for kind in KINDS:
        ours = round(tallies["markaz"].prf(kind)[2], 3)
        level = [
            f"{tool} {round(tallies[tool].prf(kind)[2], 3):.3f}"
            for tool in tallies
            if tool != "markaz"
            and kind in results[tool][2]
            and round(tallies[tool].prf(kind)[2], 3) >= ours
        ]
        if level:
            notes.append(f"{kind} (Markaz {ours:.3f}; " + ", ".join(level) + ")")
    if not notes:
        return ["Markaz's F1 is higher than every peer's on every kind the peer supports."]
    return [
        "Kinds where a peer's F1 equals or beats Markaz's (the target of a higher F1 than "
        "every peer is **not met** there): " + "; ".join(notes) + ". Where both are 1.000 "
        "the peer finds every form of that kind in this corpus as well as Markaz does; no "
        "form a victim plausibly types was found that separates them, and none was "
        "invented to."
    ]


def write_section(section: str) -> None:
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = text.find("## Extraction")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + "\n" + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
