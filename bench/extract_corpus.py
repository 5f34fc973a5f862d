"""A seeded synthetic corpus of victim reports, labelled by construction.

Each report mixes filler sentences in Tajik, Russian or English with indicators written
the way people write them (spaced, bracketed, defanged, glued to Cyrillic) and with
negatives (dates, amounts, versions, file names, document numbers, masked cards). The
generator records the normal value of everything it inserts, so precision and recall can
be computed for any tool. Generated at run time, never committed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import random
import string
from dataclasses import dataclass, field

from stdnum import luhn
from stdnum.iban import calc_check_digits

from markaz.extract.checksums import (
    b58check_encode,
    eip55_checksum,
    keccak256,
    segwit_encode,
    xmr_b58encode,
)

CARD_KEY = b"bench-card-key"

FILLER = {
    "ru": [
        "Здравствуйте, прошу разобраться в ситуации.",
        "Мне позвонили и представились сотрудником банка.",
        "Я поверил и сделал всё, что они просили.",
        "После этого деньги с карты пропали.",
        "Прошу найти мошенников и вернуть деньги.",
        "Скриншоты переписки прилагаю к заявлению.",
        "Они говорили очень уверенно и торопили меня.",
        "Сначала попросили небольшую сумму, потом ещё.",
        "В банке сказали обратиться в милицию.",
        "Больше со мной никто не связывался.",
    ],
    "tg": [
        "Ассалому алайкум, лутфан ба ман кӯмак кунед.",
        "Ба ман занг заданд ва худро корманди бонк муаррифӣ карданд.",
        "Ман бовар кардам ва рамзро гуфтам.",
        "Баъд аз ин пул аз корти ман гум шуд.",
        "Илтимос, фиребгаронро ёбед.",
        "Расмҳои мукотибаро замима мекунам.",
        "Онҳо хеле бовариbахш гап мезаданд ва шитоб мекарданд.",
        "Аввал маблағи кам пурсиданд, баъд боз.",
        "Дар бонк гуфтанд, ки ба милиса муроҷиат кунам.",
        "Дигар касе бо ман тамос нагирифт.",
    ],
    "en": [
        "Hello, I would like to report a fraud.",
        "They called me and said they were from the bank.",
        "I trusted them and did what they asked.",
        "After that the money disappeared from my card.",
        "Please find these people and return my money.",
        "I attach screenshots of the conversation.",
        "They sounded very confident and rushed me.",
        "First they asked for a small amount, then more.",
        "The bank told me to go to the police.",
        "Nobody has contacted me since then.",
    ],
}

LEAD = {
    "phone": {"ru": "звонили с номера", "tg": "аз рақами", "en": "they called from"},
    "email": {"ru": "писали с почты", "tg": "почтаи онҳо", "en": "the e-mail was"},
    "url": {"ru": "прислали ссылку", "tg": "пайванд фиристоданд", "en": "they sent the link"},
    "domain": {"ru": "сайт", "tg": "сомона", "en": "the website"},
    "ipv4": {"ru": "вход был с IP", "tg": "IP-и онҳо", "en": "login came from IP"},
    "ipv6": {"ru": "вход был с адреса", "tg": "суроға", "en": "login came from address"},
    "crypto": {
        "ru": "перевёл на кошелёк",
        "tg": "ба ҳамён фиристодам",
        "en": "I sent it to wallet",
    },
    "card": {"ru": "перевёл на карту", "tg": "ба корти", "en": "I paid to the card"},
    "iban": {"ru": "оплата на IBAN", "tg": "ба IBAN", "en": "payment to IBAN"},
    "telegram": {"ru": "в телеграме", "tg": "дар телеграм", "en": "on Telegram"},
    "instagram": {"ru": "в инстаграме", "tg": "дар инстаграм", "en": "on Instagram"},
    "tiktok": {"ru": "в тиктоке", "tg": "дар тикток", "en": "on TikTok"},
    "profile": {"ru": "его страница", "tg": "саҳифааш", "en": "their profile"},
}

NEGATIVES = [
    lambda r: f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{r.randint(2019, 2025)}",
    lambda r: f"{r.randint(2019, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    lambda r: f"в {r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
    lambda r: f"{r.randint(1, 999)} {r.randint(0, 999):03d} сомони",
    lambda r: f"{r.randint(1, 99)} {r.randint(0, 999):03d} {r.randint(0, 999):03d} сум",
    lambda r: f"$ {r.randint(1, 9)},{r.randint(0, 999):03d}",
    lambda r: f"версия {r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}.{r.randint(0, 99)}",
    lambda r: f"version {r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
    lambda r: r.choice(["invoice.zip", "IMG_2041.jpg", "договор.pdf", "setup.exe", "photo.png"]),
    lambda r: f"паспорт А {r.randint(1000000, 9999999)}",
    lambda r: f"паспорт серии {r.randint(1000, 9999)} {r.randint(100000, 999999)}",
    lambda r: f"ИНН {r.randint(100000000, 999999999)}",
    lambda r: f"{r.randint(4000, 5999)} **** **** {r.randint(1000, 9999)}",
    lambda r: f"заказ № {r.randint(1000000, 99999999)}",
    lambda r: "MAC " + ":".join(f"{r.randint(0, 255):02X}" for _ in range(6)),
    lambda r: "sha256 " + r.randbytes(32).hex(),
]

WORDS = [
    "bonus",
    "pay",
    "secure",
    "login",
    "verify",
    "alif",
    "tcell",
    "bank",
    "card",
    "gift",
    "invest",
    "crypto",
    "somon",
    "dushanbe",
    "support",
    "online",
    "prize",
    "credit",
    "job",
]
TLDS = ["com", "tj", "ru", "net", "org", "top", "online", "xyz", "site", "info", "shop", "io"]
# Internationalised names: Cyrillic labels under the Cyrillic suffixes scam shops use and
# under .com (the issue: "IDN hosts in punycode").
CYRILLIC_WORDS = ["бонус", "выплата", "кредит", "банк", "подарок", "работа", "пул", "корт"]
CYRILLIC_TLDS = ["рф", "рф", "рус", "com"]
# A word typed straight after an indicator, without its space ("...1234звонили").
GLUED_AFTER = {
    "ru": ["звонили", "писали", "оплатил", "перевёл", "пишите"],
    "tg": ["фиристодам", "навиштанд", "пардохтам", "занг"],
}
# How people defang an e-mail address (the issue lists [at], [@], (dot), [.]).
EMAIL_DEFANGS = [("[at]", "[.]"), ("(at)", "(dot)"), ("[@]", "[.]"), (" [at] ", " [dot] ")]
TJ_PREFIXES = ["90", "91", "92", "93", "98", "99", "00", "55", "50", "77", "88", "11", "10", "20"]


@dataclass
class BenchReport:
    text: str
    labels: set[tuple[str, str]] = field(default_factory=set)
    # Values a tool may report without being wrong or right: the host of a labelled URL
    # or e-mail, and the URL form of a labelled profile link.
    neutral: set[tuple[str, str]] = field(default_factory=set)
    # How many indicators were written (labels is a set: a value written twice counts once).
    written: int = 0


class Maker:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def name(self, n: int = 2) -> str:
        return "-".join(self.r.choice(WORDS) for _ in range(n))

    def handle(self) -> str:
        r = self.r
        return r.choice(WORDS) + r.choice(["_", ".", ""]) + r.choice(WORDS) + str(r.randint(1, 99))

    def host(self) -> str:
        return (
            f"{self.name(self.r.choice([1, 2, 2]))}{self.r.randint(1, 999)}.{self.r.choice(TLDS)}"
        )

    def idn_host(self) -> tuple[str, str]:
        """A Cyrillic host as written, and its punycode."""
        r = self.r
        written = f"{r.choice(CYRILLIC_WORDS)}{r.randint(1, 999)}.{r.choice(CYRILLIC_TLDS)}"
        return written, written.encode("idna").decode("ascii")

    def phone(self) -> tuple[str, str]:
        r = self.r
        if r.random() < 0.75:
            n = r.choice(TJ_PREFIXES) + f"{r.randint(1000000, 9999999)}"
            layouts = [
                f"+992 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
                f"+992 ({n[:2]}) {n[2:5]}-{n[5:7]}-{n[7:]}",
                f"{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
                f"({n[:2]}) {n[2:5]}-{n[5:7]}-{n[7:]}",
                f"992 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
                f"+992-{n[:2]}-{n[2:5]}-{n[5:7]}-{n[7:]}",
                f"+992{n}",
                n,
                f"0 {n[:3]} {n[3:6]} {n[6:]}",
            ]
            return r.choice(layouts), "+992" + n
        if r.random() < 0.6:
            n = f"9{r.randint(10, 99)}{r.randint(1000000, 9999999)}"
            layouts = [
                f"+7 {n[:3]} {n[3:6]}-{n[6:8]}-{n[8:]}",
                f"+7 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
                f"8 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
            ]
            return r.choice(layouts), "+7" + n
        n = f"9{r.choice('0134')}{r.randint(1000000, 9999999)}"
        return f"+998 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}", "+998" + n

    def email(self) -> tuple[str, str]:
        local = self.handle().replace("-", ".")
        if self.r.random() < 0.05:
            written_host, host = self.idn_host()  # a shop's own mail on its .рф site
            value = f"{local}@{host}"
            return f"{local}@{written_host}", value
        host = self.r.choice(["gmail.com", "mail.ru", "yandex.ru", "inbox.ru", self.host()])
        value = f"{local}@{host}"
        if self.r.random() < 0.2:
            at, dot = self.r.choice(EMAIL_DEFANGS)
            return f"{local}{at}{host.replace('.', dot)}", value
        return value, value

    def url(self) -> tuple[str, str, str]:
        r = self.r
        host = self.host()
        path = (
            "/"
            + r.choice(WORDS)
            + r.choice(["", f"/{r.randint(1, 9999)}", f"?id={r.randint(1, 99999)}"])
        )
        choice = r.random()
        if choice < 0.10:
            return f"hxxps://{host.replace('.', '[.]')}{path}", f"https://{host}{path}", host
        if choice < 0.15:
            return f"hxxps[:]//{host.replace('.', '[.]')}{path}", f"https://{host}{path}", host
        if choice < 0.22:
            written_host, host = self.idn_host()
            return f"https://{written_host}{path}", f"https://{host}{path}", host
        if choice < 0.30:
            short = r.choice(["bit.ly", "cutt.ly", "clck.ru"])
            code = "".join(r.choice(string.ascii_letters + string.digits) for _ in range(7))
            return f"{short}/{code}", f"https://{short}/{code}", short
        scheme = r.choice(["http", "https"])
        return f"{scheme}://{host}{path}", f"{scheme}://{host}{path}", host

    def domain(self) -> tuple[str, str]:
        if self.r.random() < 0.08:
            return self.idn_host()
        host = self.host()
        if self.r.random() < 0.1:
            return host.replace(".", self.r.choice(["[.]", "[.]", "(dot)"])), host
        if self.r.random() < 0.1:
            return "www." + host, host
        return host, host

    def ipv4(self) -> str:
        r = self.r
        return f"{r.choice([5, 31, 45, 46, 77, 91, 94, 185, 193, 212])}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def ipv6(self) -> str:
        # Global unicast under 2a00::/12 (RIPE), never the 2001:db8:: documentation range
        # that some tools rightly skip.
        prefix = bytes([0x2A, self.r.randrange(16)])
        return str(
            ipaddress.IPv6Address(prefix + self.r.randbytes(6) + bytes(6) + self.r.randbytes(2))
        )

    def crypto(self) -> tuple[str, str, str]:
        r = self.r
        kind = r.choice(["btc", "btc", "eth", "eth", "trx", "trx", "ltc", "xmr"])
        if kind == "btc":
            if r.random() < 0.5:
                address = b58check_encode(bytes([r.choice([0, 5])]) + r.randbytes(20))
            else:
                version = r.choice([0, 1])
                size = 32 if version == 1 or r.random() < 0.3 else 20
                address = segwit_encode("bc", version, r.randbytes(size))
                if r.random() < 0.1:
                    # Read out from a QR code or a screenshot in capitals (BIP 173 allows it).
                    return kind, address.upper(), address
            return kind, address, address
        if kind == "eth":
            body = r.randbytes(20).hex()
            written = "0x" + (eip55_checksum(body) if r.random() < 0.7 else body)
            return kind, written, "0x" + body
        if kind == "trx":
            address = b58check_encode(b"\x41" + r.randbytes(20))
            return kind, address, address
        if kind == "ltc":
            if r.random() < 0.4:  # exchanges now hand out native segwit ltc1 addresses
                address = segwit_encode("ltc", 0, r.randbytes(20))
            else:
                address = b58check_encode(bytes([r.choice([0x30, 0x32])]) + r.randbytes(20))
            return kind, address, address
        # Monero: a primary address (4...) or, as wallets now show by default, a
        # subaddress (8...).
        body = bytes([0x12 if r.random() < 0.7 else 0x2A]) + r.randbytes(64)
        address = xmr_b58encode(body + keccak256(body)[:4])
        return kind, address, address

    def card(self) -> tuple[str, str]:
        r = self.r
        prefix = r.choice(["4400", "4169", "5211", "5536", "2200", "2202", "9762", "4278"])
        body = prefix + "".join(r.choice(string.digits) for _ in range(11))
        digits = body + luhn.calc_check_digit(body)
        sep = r.choice([" ", " ", "-", ""])
        written = sep.join(digits[i : i + 4] for i in range(0, 16, 4))
        value = hmac.new(CARD_KEY, digits.encode(), hashlib.sha256).hexdigest()
        return written, value

    def iban(self) -> tuple[str, str]:
        r = self.r
        country, bban = r.choice(
            [
                ("DE", "".join(r.choice(string.digits) for _ in range(18))),
                ("GB", "NWBK" + "".join(r.choice(string.digits) for _ in range(14))),
                ("TR", "".join(r.choice(string.digits) for _ in range(22))),
                ("AE", "".join(r.choice(string.digits) for _ in range(19))),
            ]
        )
        if country == "TR":
            bban = bban[:5] + "0" + bban[6:]
        compact = country + calc_check_digits(country + "00" + bban) + bban
        spaced = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
        return (spaced if r.random() < 0.6 else compact), compact


def make_report(rng: random.Random) -> BenchReport:
    m = Maker(rng)
    lang = rng.choice(["ru", "ru", "tg", "tg", "en"])
    parts: list[str] = []
    report = BenchReport("")
    for _ in range(rng.randint(6, 14)):
        parts.append(rng.choice(FILLER[lang]))
    for _ in range(rng.randint(2, 6)):
        kind = rng.choice(
            [
                "phone",
                "phone",
                "phone",
                "email",
                "url",
                "domain",
                "ipv4",
                "ipv6",
                "crypto",
                "card",
                "card",
                "iban",
                "telegram",
                "instagram",
                "tiktok",
                "profile",
            ]
        )
        # One in ten indicators is glued to the Cyrillic word before it, as people type.
        glue = " " if lang == "en" or rng.random() < 0.9 else ""
        if kind == "phone":
            written, value = m.phone()
            if value.startswith("+7"):
                parts.append(
                    {"ru": "Номер из России:", "tg": "Рақами Русия:", "en": "A Russian number:"}[
                        lang
                    ]
                )
            report.labels.add(("phone", value))
        elif kind == "email":
            written, value = m.email()
            report.labels.add(("email", value))
            report.neutral.add(("domain", value.split("@")[1]))
        elif kind == "url":
            written, value, host = m.url()
            report.labels.add(("url", value))
            report.neutral.add(("domain", host))
        elif kind == "domain":
            written, value = m.domain()
            report.labels.add(("domain", value))
        elif kind in ("ipv4", "ipv6"):
            written = value = m.ipv4() if kind == "ipv4" else m.ipv6()
            report.labels.add((kind, value))
        elif kind == "crypto":
            ckind, written, value = m.crypto()
            report.labels.add((ckind, value))
            kind = "crypto"
        elif kind == "card":
            written, value = m.card()
            report.labels.add(("card", value))
        elif kind == "iban":
            written, value = m.iban()
            report.labels.add(("iban", value))
        elif kind in ("telegram", "instagram", "tiktok"):
            handle = m.handle().replace("-", "_")
            if kind == "telegram":
                handle = handle.replace(".", "_")
                if not handle[0].isalpha():
                    handle = "x" + handle
            written = "@" + handle
            report.labels.add((kind, handle.lower()))
        else:
            handle = m.handle().replace("-", "_").replace(".", "_")
            if handle[0].isdigit():
                handle = "x" + handle
            fb_id = str(rng.randint(100000000000000, 100099999999999))
            site, kind2, url = rng.choice(
                [
                    ("t.me", "telegram", f"https://t.me/{handle}"),
                    # A channel's public preview page.
                    ("t.me", "telegram", f"https://t.me/s/{handle}"),
                    ("instagram.com", "instagram", f"https://instagram.com/{handle}"),
                    ("vk.com", "vk", f"https://vk.com/{handle}"),
                    (
                        "facebook.com",
                        "facebook",
                        f"https://facebook.com/{handle.replace('_', '.')}",
                    ),
                    # An account without a user name, and the short and mobile hosts.
                    (
                        "facebook.com",
                        "facebook",
                        f"https://www.facebook.com/profile.php?id={fb_id}",
                    ),
                    ("fb.com", "facebook", f"https://fb.com/{handle.replace('_', '.')}"),
                    (
                        "m.facebook.com",
                        "facebook",
                        f"https://m.facebook.com/{handle.replace('_', '.')}",
                    ),
                    ("tiktok.com", "tiktok", f"https://tiktok.com/@{handle}"),
                    ("ok.ru", "ok", f"https://ok.ru/{handle}"),
                    ("wa.me", "whatsapp", ""),
                ]
            )
            if kind2 == "whatsapp":
                number = "992" + rng.choice(TJ_PREFIXES) + f"{rng.randint(1000000, 9999999)}"
                url = f"https://wa.me/{number}"
                report.labels.add(("whatsapp", "+" + number))
            elif kind2 == "facebook" and "profile.php" in url:
                report.labels.add((kind2, fb_id))
            elif kind2 == "facebook":
                report.labels.add((kind2, handle.replace("_", ".").lower()))
            else:
                report.labels.add((kind2, handle.lower()))
            written = url if rng.random() < 0.7 else url.removeprefix("https://")
            report.neutral.add(("url", url))
            report.neutral.add(("domain", site))
        lead = LEAD[kind][lang]
        if not ("а" <= lead[-1].lower() <= "я" or lead[-1] in "ӣӯҳқҷғ") or not written[0].isascii():
            glue = " "  # only Latin or digits glued to a Cyrillic word can be told apart
        end = rng.choice([".", ".", ",", ";", " —", ""])
        if lang != "en" and written[-1:].isascii() and rng.random() < 0.05:
            # The next word typed without its space; only after an indicator that ends in
            # Latin or a digit, where a reader can still tell where it stops.
            end = rng.choice(GLUED_AFTER[lang]) + end
        parts.append(f"{lead}{glue}{written}{end}")
        report.written += 1
        if rng.random() < 0.5:
            parts.append(rng.choice(NEGATIVES)(rng) + ".")
    rng.shuffle(parts)
    report.text = " ".join(parts)
    return report


def generate(size_bytes: int, seed: int = 2026, *, unique: bool = False) -> list[BenchReport]:
    """Reports until ``size_bytes`` of UTF-8 text. With ``unique``, a report that would
    repeat any labelled value of an earlier one is drawn again, so that no indicator
    occurs twice in the corpus and no memo can help (a different corpus from the same
    seed)."""
    rng = random.Random(seed)
    reports = []
    seen: set[tuple[str, str]] = set()
    total = 0
    while total < size_bytes:
        report = make_report(rng)
        if unique:
            if report.labels & seen or len(report.labels) < report.written:
                continue
            seen |= report.labels
        reports.append(report)
        total += len(report.text.encode("utf-8")) + 1
    return reports
