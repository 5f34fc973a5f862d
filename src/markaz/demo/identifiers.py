"""Suspects' identifiers, each made once with the several ways people write it.

Phones (Tajik and Russian), bank cards, Telegram and Instagram handles, sites, wallets
and e-mail addresses, and the victims' own phones and addresses. Every card number
passes Luhn and every wallet its base58check checksum, but all of them are random: no
real card or wallet is meant. Victims' phones and suspects' phones come from disjoint
sets (the parity of the subscriber digits' sum), so a victim's number never equals a
suspect's. Also the noise: identifiers victims name that are not the suspect's.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable

from markaz.demo.proportions import Weighted, pick

# The identifier placeholders of a story, and the kind of the structured suspect row
# each becomes.
ROW_KIND = {
    "phone": "phone",
    "rphone": "phone",
    "card": "card",
    "tg": "social",
    "ig": "social",
    "site": "website",
    "wallet": "crypto",
    "email": "email",
}

# Noise: identifiers victims name that are not the suspect's (the bank they called, the
# bank's own site, the marketplace), so they recur across unrelated reports and would glue
# them together. The banks' sites are on the shipped warning list; the hotlines and the
# marketplace are not (``NOISE_UNLISTED``): an analyst lists them, or the guard holds them.
NOISE_HOTLINES = ("44 640 40 40", "44 600 15 15", "(44) 625-00-00", "+992 44 601 01 01")
NOISE_BANK_SITES = ("alif.tj", "eskhata.com", "dc.tj", "humo.tj", "amonatbonk.tj")
# (kind, value) of the noise that no shipped list covers, in a form ``warninglist_add`` reads.
NOISE_UNLISTED = (
    *(("phone", hotline) for hotline in NOISE_HOTLINES),
    ("domain", "somon.tj"),
)

TJ_PREFIXES = ("93", "92", "91", "90", "98", "88", "55", "50", "77", "00", "11", "20", "99")
TJ_PREFIX_WEIGHTS = (16, 14, 12, 12, 10, 9, 6, 5, 5, 4, 3, 2, 2)
_TJ_PREFIX = Weighted(TJ_PREFIXES, TJ_PREFIX_WEIGHTS)
RU_PREFIXES = ("916", "925", "977", "903", "926", "999", "968", "915", "985", "901")
CARD_BINS = (
    ("9762", 30),  # Korti Milli-like
    ("4890", 8),
    ("4424", 8),
    ("4169", 6),
    ("5440", 8),
    ("5168", 5),
    ("2200", 10),
    ("2202", 12),
    ("2204", 6),
    ("2201", 4),
    ("2203", 3),
)
SITE_BRANDS = (
    "alif",
    "eskhata",
    "dc",
    "humo",
    "somon",
    "olx",
    "tcell",
    "megafon",
    "babilon",
    "spitamen",
    "amonat",
    "imon",
    "korti-milli",
    "arvand",
)
SITE_LURES = (
    "bonus",
    "gift",
    "promo",
    "pay",
    "deliveri",
    "dostavka",
    "secure",
    "verify",
    "login",
    "kredit",
    "invest",
    "win",
    "premium",
    "online",
    "cashback",
)
SITE_TLDS = (".top", ".shop", ".site", ".online", ".xyz", ".icu", ".live", ".click", ".store")
HANDLE_WORDS = (
    "somon",
    "bozor",
    "shop",
    "sale",
    "dushanbe",
    "khujand",
    "invest",
    "crypto",
    "rabota",
    "moskva",
    "kredit",
    "bonus",
    "admin",
    "support",
    "pro",
    "trade",
    "usdt",
    "vip",
    "tj",
    "iphone",
)
MAIL_HOSTS = ("gmail.com", "mail.ru", "inbox.ru", "yandex.ru", "outlook.com", "proton.me")
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload: bytes) -> str:
    """Bitcoin's base58 with a 4-byte double-SHA-256 checksum."""
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(B58[rest])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def base58check_valid(address: str) -> bool:
    number = 0
    for ch in address:
        number = number * 58 + B58.index(ch)
    pad = len(address) - len(address.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    data = b"\0" * pad + body
    payload, check = data[:-4], data[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == check


def luhn_complete(partial: str) -> str:
    """`partial` followed by the Luhn check digit that makes it valid."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        digit = ord(ch) - 48
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return partial + str(-total % 10)


def luhn_valid(number: str) -> bool:
    digits = [c for c in number if c.isdigit()]
    return luhn_complete("".join(digits[:-1])) == "".join(digits)


# Parity of the digit sum of 0..999, to give phone numbers a parity without summing digits.
_PARITY = bytes(sum(map(int, f"{n:03d}")) % 2 for n in range(1000))


def _subscriber(random_float: float, last_float: float, parity: int) -> str:
    """Seven digits whose digit sum has `parity`: suspects 0, victims 1, never the same."""
    head = int(random_float * 1_000_000)
    last = int(last_float * 5) * 2 + (_PARITY[head // 1000] ^ _PARITY[head % 1000] ^ parity)
    return f"{head:06d}{last}"


# The ways people in Tajikistan write a nine-digit number: p is the operator's prefix and
# a, b, c the 3-2-2 groups after it; n3, n6, n9 the number cut 3-3-3.
TJ_PHONE_FORMS = (
    "{p} {a} {b} {c}",
    "({p}) {a}-{b}-{c}",
    "0 {n3} {n6} {n9}",
    "992 {p} {a} {b} {c}",
    "+992-{p}-{a}-{b}-{c}",
    "+992{p}{a}{b}{c}",
    "+992 {p} {a}{b}{c}",
    "+992 ({p}) {a}-{b}-{c}",
    "{p}-{a}-{b}-{c}",
    "{p}{a}{b}{c}",
)


def tj_phone_form(national: str, which: int) -> str:
    return TJ_PHONE_FORMS[which].format(
        p=national[:2],
        a=national[2:5],
        b=national[5:7],
        c=national[7:],
        n3=national[:3],
        n6=national[3:6],
        n9=national[6:],
    )


def tj_phone_formats(national: str) -> tuple[str, ...]:
    """Every way in TJ_PHONE_FORMS of writing the nine-digit number `national`."""
    return tuple(tj_phone_form(national, which) for which in range(len(TJ_PHONE_FORMS)))


def ru_phone_formats(national: str) -> tuple[str, ...]:
    c, x = national[:3], national[3:]
    return (
        f"8 ({c}) {x[:3]}-{x[3:5]}-{x[5:]}",
        f"+7 {c} {x[:3]} {x[3:5]} {x[5:]}",
        f"+7{national}",
        f"8-{c}-{x[:3]}-{x[3:5]}-{x[5:]}",
        f"+7 ({c}) {x[:3]}-{x[3:5]}-{x[5:]}",
    )


def _card(rng: random.Random) -> tuple[str, ...]:
    bin_ = rng.choices(CARD_BINS_CODES, CARD_BINS_WEIGHTS)[0]
    number = luhn_complete(bin_ + f"{rng.randrange(10**11):011d}")
    g = [number[i : i + 4] for i in range(0, 16, 4)]
    return (
        " ".join(g),
        number,
        "-".join(g),
        f"{g[0]} {g[1]}{g[2]}{g[3]}",
        f"{number[:8]} {number[8:]}",
    )


CARD_BINS_CODES = tuple(b for b, _w in CARD_BINS)
CARD_BINS_WEIGHTS = tuple(w for _b, w in CARD_BINS)


def _handle(rng: random.Random) -> str:
    # About 10^8 handles: at a million reports, unrelated campaigns rarely draw the same one
    # (with a few thousand, accidental matches glued half the reports into one campaign).
    first, second = rng.sample(HANDLE_WORDS, 2)
    shape = rng.randrange(4)
    if shape == 0:
        return f"{first}_{second}_{rng.randrange(10, 99999)}"
    if shape == 1:
        return f"{first}{second}{rng.randrange(100, 999999)}"
    if shape == 2:
        return f"{first}_{second}_tj{rng.randrange(1, 99999)}"
    return f"{first}.{second}{rng.randrange(100, 99999)}"


def _telegram(rng: random.Random) -> tuple[str, ...]:
    handle = _handle(rng).replace(".", "_")
    title = "_".join(part.capitalize() for part in handle.split("_"))
    return (f"@{handle}", f"t.me/{handle}", f"https://t.me/{handle}", f"@{title}", f"@{handle}")


def _instagram(rng: random.Random) -> tuple[str, ...]:
    handle = _handle(rng)
    return (f"@{handle}", f"instagram.com/{handle}", f"https://www.instagram.com/{handle}/")


def _site(rng: random.Random) -> tuple[str, ...]:
    brand = rng.choice(SITE_BRANDS)
    lure = rng.choice(SITE_LURES)
    sep = rng.choice(("-", "", "-", "-tj-"))
    domain = f"{brand}{sep}{lure}{rng.randrange(1, 9999)}{rng.choice(SITE_TLDS)}"
    name, dot, tld = domain.rpartition(".")
    defanged = f"{name}[.]{tld}"
    path = rng.choice(("login", "pay", "bonus", "card", "verify"))
    return (
        domain,
        defanged,
        f"https://{domain}",
        f"hxxps://{defanged}/{path}",
        f"www.{domain}",
        f"http://{domain}/{path}?id={rng.randrange(1000, 99999)}",
        domain.upper(),
    )


def _wallet(rng: random.Random, coin: str) -> tuple[str, ...]:
    body = rng.getrandbits(160).to_bytes(20, "big")
    address = base58check((b"\x41" if coin == "trx" else b"\x00") + body)
    return (address,)


def _email(rng: random.Random) -> tuple[str, ...]:
    local = _handle(rng).replace("_", ".")
    host = rng.choice(MAIL_HOSTS)
    return (f"{local}@{host}", f"{local.capitalize()}@{host.capitalize()}", f"{local}@{host}")


def identifier(rng: random.Random, key: str, coin: str) -> tuple[str, ...]:
    """A new suspect identifier for the placeholder `key`, in every form it is written."""
    if key == "phone":
        return tj_phone_formats(
            _TJ_PREFIX.pick(rng.random()) + _subscriber(rng.random(), rng.random(), 0)
        )
    if key == "rphone":
        return ru_phone_formats(rng.choice(RU_PREFIXES) + f"{rng.randrange(10**7):07d}")
    if key == "card":
        return _card(rng)
    if key == "tg":
        return _telegram(rng)
    if key == "ig":
        return _instagram(rng)
    if key == "site":
        return _site(rng)
    if key == "wallet":
        return _wallet(rng, coin)
    return _email(rng)


def victim_phone(r: Callable[[], float]) -> str:
    """A victim's own Tajik phone, in one of the ways people write it (never a suspect's)."""
    national = _TJ_PREFIX.pick(r()) + _subscriber(r(), r(), 1)
    return tj_phone_form(national, int(r() * len(TJ_PHONE_FORMS)))


def victim_email(r: Callable[[], float], latin_name: str) -> str:
    first, _sp, last = latin_name.lower().partition(" ")
    return f"{first}.{last}{int(r() * 98) + 1}@{pick(MAIL_HOSTS, r())}"
