"""Free text -> indicators: a few cheap candidate scans, then validation.

Each scan is one precompiled regular expression whose first character class lets the
regex engine skip most of the text, and none of them can backtrack more than a bounded
distance (no nested unbounded quantifiers over overlapping classes; every run that can
grow is followed by something it cannot contain). The costly checks (phonenumbers,
the public suffix list, checksums) run only on the few candidates that survive.

When candidates of different scans overlap, the more specific one wins: a URL or an
e-mail address over the domain and the digits inside it, an IBAN over the digits in it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator
from functools import lru_cache
from operator import itemgetter

from . import money, phones, prefilter, social, web
from .types import CardFingerprint, Found, InvalidIndicator, Kind, new_found

_CYR = "а-яёӣӯҳқҷғіїєўәөүңҳА-ЯЁӢӮҲҚҶҒІЇЄЎӘӨҮҢ"
_LAT_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_CYR_LABEL = rf"[{_CYR}0-9](?:[{_CYR}0-9\-]{{0,61}}[{_CYR}0-9])?"
_DOT = r"(?:\.|\s?[\[({](?:\.|dot|DOT)[\])}]\s?)"
_HOST = rf"(?:{_LAT_LABEL}|{_CYR_LABEL})(?:{_DOT}(?:{_LAT_LABEL}|{_CYR_LABEL}))+"
# A host starts where its script starts: Latin glued to Cyrillic ("сайтеtcell.tj") is
# split at the change of script, but never in the middle of a word of one script.
_HOST_START = rf"(?:(?<![A-Za-z0-9_.\-@])(?=[A-Za-z0-9])|(?<![{_CYR}0-9_.\-@])(?=[{_CYR}]))"
_URL_CHARS = r"[^\s<>\"'«»“”‘’`|\\^{}]"
_SCHEME = r"(?:[hH](?:[tT][tT]|[xX][xX])[pP][sS]?|[fF](?:[tT]|[xX])[pP])(?::|\[:\])//"
_AT = r"(?:@|\s?[\[({](?:@|at|AT)[\])}]\s?)"

# An address's local part is taken possessively ({1,64}+): _AT cannot start inside it
# (no character of the local part can begin an at-sign, defanged or not), so giving
# characters back could never make a match; without it every host and link tried here
# first gave back its characters one by one to look for an at-sign.
_WEB = re.compile(
    rf"(?P<url>(?<![A-Za-z0-9]){_SCHEME}{_URL_CHARS}+)"
    rf"|(?P<email>(?<![A-Za-z0-9._%+\-]){'[A-Za-z0-9._%+-]'}{{1,64}}+{_AT}{_HOST})"
    rf"|(?P<host>{_HOST_START}(?P<hostname>{_HOST})(?::\d{{1,5}})?(?:/{_URL_CHARS}*)?)"
)
# Every scan starts with a plain character class and looks behind only after it: a
# pattern whose first item is a class lets the regex engine skip, in C, every position
# that cannot start a match (a leading look-around makes it try the whole pattern at
# every character, about twice as slow on our reports). Digits are ASCII digits
# (re.ASCII or [0-9]): a Unicode \d costs a category lookup per character, and no
# phone, card, address or IBAN is written in other digits.
_CRYPTO = re.compile(
    r"[013bBlLMT48](?<![A-Za-z0-9].)(?:(?<=0)[xX][0-9a-fA-F]{40}"
    r"|(?<=b)c1[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}|(?<=B)C1[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}"
    r"|(?<=l)tc1[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}|(?<=L)TC1[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}"
    r"|(?<=[13LMT])[1-9A-HJ-NP-Za-km-z]{24,34}"
    r"|(?<=[48])[1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?)(?![A-Za-z0-9])",
    re.ASCII,
)
_IBAN = re.compile(
    r"[A-Z](?<![A-Za-z0-9].)[A-Z]\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])",
    re.ASCII,
)
_IPV4 = re.compile(
    r"\d(?<![0-9A-Za-z.]\d)\d{0,2}(?:\.|\[\.\]|\(\.\)|\[dot\])"
    r"(?:\d{1,3}(?:\.|\[\.\]|\(\.\)|\[dot\])){2}\d{1,3}(?![0-9]|\.\d|[A-Za-z])",
    re.ASCII,
)
_IPV6 = re.compile(
    r"[0-9A-Fa-f:](?<![0-9A-Za-z:.].)(?:(?<=:)[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){1,6}"
    r"|(?<=[0-9A-Fa-f])[0-9A-Fa-f]{0,3}(?::[0-9A-Fa-f]{0,4}){2,7})"
    r"(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?![0-9A-Za-z:]|\.\d)",
    re.ASCII,
)
_NUMBER = re.compile(
    r"[+(0-9](?<![A-Za-z0-9_\-/#№*].)(?<![0-9]\..)(?:(?<=\+)\s?\(?[0-9]|(?<=\()[0-9]|(?<=[0-9]))"
    r"[0-9 \t\u00a0().\-]{5,}[0-9]"
)
_HANDLE = re.compile(
    r"@(?<![A-Za-z0-9_.@/]@)([A-Za-z0-9_](?:[A-Za-z0-9_]|\.(?=[A-Za-z0-9_])){0,31})"
)

# Matched on the lower-cased text before an address; the word boundary is checked after
# the first letter so that the engine skips to letters that can start one of the words.
_VERSION_BEFORE = re.compile(
    r"(?:v(?<!\w.)(?:ersion|er|)|в(?<!\w.)(?:ерси[яиюей]|ер)|b(?<!\w.)uild|с(?<!\w.)борк[аиуе]|"
    r"a(?<!\w.)ndroid|i(?<!\w.)os|w(?<!\w.)indows|f(?<!\w.)irmware|п(?<!\w.)рошивк[аиуе]|"
    r"u(?<!\w.)pdate|о(?<!\w.)бновлени[еяю]|r(?<!\w.)elease|р(?<!\w.)елиз|н(?<!\w.)авсозӣ|"
    r"в(?<!\w.)ерсияи)\.?\s*(?:\S{1,8}\s+)?:?\s*\Z"
)
_TRAILING = ".,;:!?'\"»”’)]}…"
_LATIN_THEN_CYRILLIC = re.compile(rf"[A-Za-z0-9][{_CYR}]")

_PRIORITY = {"web": 0, "crypto": 1, "iban": 2, "ip": 3, "host": 4, "number": 5, "handle": 6}
_MAX_NUMBER_DIGITS = 40
_MAX_NUMBER_GROUPS = 12
_MAX_PHONE_TRIES = 24
_BY_PRIORITY_THEN_START = itemgetter(0, 1)
_BY_START = itemgetter(1)
_LATIN_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


# A candidate that passed its checks: (priority, start, end, kind, value, card). A plain
# tuple: a report makes a handful, and a NamedTuple's constructor is a Python call.
_Hit = tuple[int, int, int, str, str, CardFingerprint | None]


# Reports about one scheme name the same phones, wallets and sites again and again, so
# the pure checks of a candidate's text (no context, no key) are memoised, in bounded
# caches. Card numbers never enter a cache: only the caller's text holds them.
_CACHE_SIZE = 4096


@lru_cache(maxsize=_CACHE_SIZE)
def _email_value(raw: str) -> str | None:
    try:
        return web.normalize_email(raw)
    except InvalidIndicator:
        return None


@lru_cache(maxsize=_CACHE_SIZE)
def _domain_value(raw: str) -> str | None:
    try:
        return web.normalize_domain(raw, free_text=True)
    except InvalidIndicator:
        return None


@lru_cache(maxsize=_CACHE_SIZE)
def _url_value(raw: str, region: str) -> tuple[str, str] | None:
    """(kind, value): a profile on a known network, else the URL itself."""
    try:
        value = web.normalize_url(raw)
    except InvalidIndicator:
        return None
    profile = (
        social.profile_from_url(value, region=region) if social.may_be_profile(value) else None
    )
    return profile if profile is not None else (Kind.URL, value)


@lru_cache(maxsize=_CACHE_SIZE)
def _iban_value(raw: str) -> str | None:
    try:
        return money.normalize_iban(raw)
    except InvalidIndicator:
        return None


_crypto_value = lru_cache(maxsize=_CACHE_SIZE)(money.crypto_kind)


def _trim_url_end(text: str, start: int, end: int) -> int:
    """Drop the punctuation that ends a sentence rather than the link."""
    while end > start and text[end - 1] in _TRAILING:
        ch = text[end - 1]
        if ch == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    glue = _LATIN_THEN_CYRILLIC.search(text, start, end)
    if glue:
        # "bit.ly/abcвход": Cyrillic glued to a Latin path is the next word.
        end = glue.start() + 1
    return end


# Where a link, an address or a host can be: a dot or an at-sign inside a word, a
# defanged dot or at, or a scheme separator. Starting with a literal, this pattern lets
# the regex engine skip ordinary prose; the full pattern then runs only around anchors.
# A dot before a digit is no anchor: no top-level domain starts with a digit, so a host
# through it is found from its last dot, and the dates, amounts, versions and IP
# addresses of a report (most of its dots) cost nothing here.
_WEB_ANCHOR = re.compile(
    r"[.@\[({:](?:(?<=\.)(?=[^\s.@0-9])|(?<=@)(?=[^\s.@])|(?<=[\[({])(?:\.|dot|DOT|@|at|AT)[\])}]"
    r"|(?<=:)//|(?<=\[):\]//)"
)
_TOKEN_PUNCT = frozenset("._%+-:/@[](){}")


def _web_matches(text: str) -> Iterator[re.Match[str]]:
    # A generator, not a list: a hostile text of a million anchors would otherwise keep
    # every match alive at once (and the collector walking them).
    web_match = _WEB.match
    pos = 0
    for anchor in _WEB_ANCHOR.finditer(text):
        i = anchor.start()
        if i < pos:
            continue
        j = i
        if text[i] in "[({" and j > 0 and text[j - 1].isspace():
            j -= 1  # "ivan [at] mail [dot] ru"
        while j > pos and (text[j - 1].isalnum() or text[j - 1] in _TOKEN_PUNCT):
            j -= 1
        for k in range(j, i + 1):
            match = web_match(text, k)
            if match is not None and match.end() > i:
                pos = match.end()
                yield match
                break


def _web_hits(text: str, region: str, out: list[_Hit]) -> None:
    for match in _web_matches(text):
        group = match.lastgroup
        start, end = match.span()
        if group == "email":
            value = _email_value(text[start:end])
            if value is None:
                continue
            out.append((0, start, end, Kind.EMAIL, value, None))
            continue
        if group == "url":
            end = _trim_url_end(text, start, end)
            _url_hit(text[start:end], start, end, region, out, priority=0)
            continue
        if not _host_tld_ok(match.group("hostname")):
            continue
        end = _trim_url_end(text, start, end)
        raw = text[start:end]
        host_end = _host_end(raw)
        if host_end < len(raw) and raw[host_end] in "/:":
            _url_hit(raw, start, end, region, out, priority=_PRIORITY["host"])
            continue
        if raw[-1:].isupper() and raw[-2:-1].islower():
            continue  # "...it.Now": a full stop without its space, not a domain
        tld = raw.rsplit(".", 1)[-1]
        if tld[:1].isupper() and tld[1:].islower() and len(tld) > 1:
            continue
        value = _domain_value(raw)
        if value is None:
            continue
        out.append((_PRIORITY["host"], start, end, Kind.DOMAIN, value, None))


def _host_tld_ok(host: str) -> bool:
    """A cheap first look at the last label of a host name as matched (maybe defanged)."""
    if "[" in host or "(" in host or "{" in host:
        host = web.refang(host)
    return web.tld_plausible(host.rsplit(".", 1)[-1].lower())


def _host_end(raw: str) -> int:
    for i, ch in enumerate(raw):
        if ch in "/:":
            return i
    return len(raw)


def _url_hit(raw: str, start: int, end: int, region: str, out: list[_Hit], priority: int) -> None:
    found = _url_value(raw, region)
    if found is not None:
        out.append((priority, start, end, found[0], found[1], None))


def _crypto_hits(text: str, out: list[_Hit]) -> None:
    for match in _CRYPTO.finditer(text):
        found = _crypto_value(match.group())
        if found is not None:
            out.append((_PRIORITY["crypto"], match.start(), match.end(), *found, None))


def _iban_hits(text: str, out: list[_Hit]) -> None:
    for match in _IBAN.finditer(text):
        value = _iban_value(match.group())
        if value is None:
            continue
        out.append((_PRIORITY["iban"], match.start(), match.end(), Kind.IBAN, value, None))


def _ipv4_hits(text: str, out: list[_Hit]) -> None:
    for match in _IPV4.finditer(text):
        start = match.start()
        low = max(0, start - 24)
        context = max(0, low - 1)  # one more character, for the word boundary
        if _VERSION_BEFORE.search(text[context:start].lower(), low - context):
            continue
        value = web.ip_normal(web.refang(match.group()))
        if value is not None:
            out.append((_PRIORITY["ip"], start, match.end(), Kind.IPV4, value, None))


def _ipv6_hits(text: str, out: list[_Hit]) -> None:
    for match in _IPV6.finditer(text):
        raw = match.group()
        if "::" not in raw and raw.count(":") < 7:
            continue  # times (12:30:45) and MAC addresses, not compressed IPv6
        value = web.ip_normal(raw)
        if value is not None and ":" in value:
            out.append((_PRIORITY["ip"], match.start(), match.end(), Kind.IPV6, value, None))


def _fixed_hits(text: str, out: list[_Hit]) -> None:
    """Wallets, IBANs and IP addresses, each scan only where hyperscan saw its kind."""
    present = prefilter.kinds_present(text)
    if present & prefilter.CRYPTO:
        _crypto_hits(text, out)
    if present & prefilter.IBAN:
        _iban_hits(text, out)
    if present & prefilter.IPV4:
        _ipv4_hits(text, out)
    if present & prefilter.IPV6:
        _ipv6_hits(text, out)


def _number_hits(
    text: str,
    region: str,
    card_key: bytes | None,
    out: list[_Hit],
    taken: tuple[list[int], list[int]] | None = None,
) -> None:
    """``taken`` holds the sorted, disjoint spans already chosen for more specific kinds:
    a run inside one of them (the digits of an IP address, of a spaced IBAN, of a URL)
    could only give hits that lose to it, so it is not validated at all."""
    taken_starts, taken_ends = taken if taken is not None else ([], [])
    size = len(text)
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if taken_starts:
            pos = bisect_right(taken_starts, start) - 1
            if pos >= 0 and taken_ends[pos] >= end:
                continue
        if end < size and text[end] in _LATIN_WORD:
            continue  # glued to a Latin word or a longer code: not a phone or a card
        raw = match.group()
        digits = phones.count_digits(raw)
        if digits > _MAX_NUMBER_DIGITS:
            continue
        if _number_candidate(text, start, end, digits, region, card_key, out):
            continue
        # str.split() counts the groups split_groups() would find (both split at what
        # str.isspace() calls space), without building their spans.
        if not 2 <= len(raw.split()) <= _MAX_NUMBER_GROUPS:
            continue
        _number_windows(text, start, phones.split_groups(raw), region, card_key, out)


def _card_hit(digits: str, card_key: bytes | None) -> tuple[str, CardFingerprint]:
    """(value, fingerprint) of a card number already checked (grouping, scheme, Luhn)."""
    fp = money.fingerprint_digits(digits, card_key)
    return money.card_value(fp), fp


def _number_candidate(
    text: str,
    start: int,
    end: int,
    digits: int,
    region: str,
    card_key: bytes | None,
    out: list[_Hit],
) -> bool:
    """``digits`` is the count of digits between start and end (the trimming below
    drops no digit)."""
    raw = text[start:end]
    if raw[0] == "(" and ")" not in raw:
        start += 1
        raw = raw[1:]
    trimmed = raw.rstrip(" \t\u00a0.-")
    if trimmed != raw:
        end -= len(raw) - len(trimmed)
        raw = trimmed
    if 13 <= digits <= 19:
        try:
            card = money.card_digits(raw)
        except InvalidIndicator:
            pass
        else:
            value, fp = _card_hit(card, card_key)
            out.append((_PRIORITY["number"], start, end, Kind.CARD, value, fp))
            return True
    if 7 <= digits <= 15:
        before = text[max(0, start - 30) : start]
        after = text[end : end + 12]
        phone = phones.phone_in_context(raw, before, after, region=region, text=text)
        if phone is not None:
            out.append((_PRIORITY["number"], start, end, Kind.PHONE, phone, None))
            return True
    return False


def _number_windows(
    text: str,
    base: int,
    groups: list[tuple[int, int]],
    region: str,
    card_key: bytes | None,
    out: list[_Hit],
) -> None:
    """Two numbers separated by a space ("93 555 12 34 93 555 12 35"), or a number next
    to a stray figure: try runs of whole groups (at most six), longest first, left to
    right; a group of one figure may open a run, never stand inside one."""
    digits_of = [phones.count_digits(text[base + start : base + end]) for start, end in groups]
    count = len(groups)
    tries = 0
    i = 0
    while i < count:
        matched = False
        for j in range(min(count, i + 6), i, -1):
            if i == 0 and j == count:
                continue  # the whole run was tried already
            digits = sum(digits_of[i:j])
            if not 7 <= digits <= 19 or 1 in digits_of[i + 1 : j]:
                continue
            tries += 1
            if tries > _MAX_PHONE_TRIES:
                return
            start, end = base + groups[i][0], base + groups[j - 1][1]
            if _number_candidate(text, start, end, digits, region, card_key, out):
                i = j
                matched = True
                break
        if not matched:
            i += 1


def _handle_hits(text: str, out: list[_Hit]) -> None:
    if "@" not in text:
        return
    mentions: list[tuple[int, str]] | None = None
    for match in _HANDLE.finditer(text):
        handle = match.group(1).lower()
        if mentions is None:
            mentions = social.platform_mentions(text)
        kind = social.platform_for(match.start(), mentions)
        if kind is None or kind == Kind.WHATSAPP or not social.handle_ok(kind, handle):
            continue
        out.append((_PRIORITY["handle"], match.start(), match.end(), kind, handle, None))


def _take(
    hits: list[_Hit], taken_starts: list[int], taken_ends: list[int], chosen: list[_Hit]
) -> None:
    hits.sort(key=_BY_PRIORITY_THEN_START)
    for hit in hits:
        start = hit[1]
        pos = bisect_left(taken_starts, start)
        if pos > 0 and taken_ends[pos - 1] > start:
            continue
        if pos < len(taken_starts) and taken_starts[pos] < hit[2]:
            continue
        taken_starts.insert(pos, start)
        taken_ends.insert(pos, hit[2])
        chosen.append(hit)


def scan(
    text: str,
    *,
    region: str,
    card_key: bytes | None,
    warning_list: Collection[str] | None,
) -> list[Found]:
    # Hits are taken in order of priority, then position, each unless it overlaps one
    # taken before. Numbers and handles come last, so the spans of the other kinds are
    # final before the number scan starts and let it skip the runs inside them.
    warned = warning_list or ()
    hits: list[_Hit] = []
    if "." in text or "[" in text or "(" in text:
        _web_hits(text, region, hits)
    _fixed_hits(text, hits)
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    chosen: list[_Hit] = []
    _take(hits, taken_starts, taken_ends, chosen)
    hits = []
    _number_hits(text, region, card_key, hits, (taken_starts, taken_ends))
    _handle_hits(text, hits)
    _take(hits, taken_starts, taken_ends, chosen)
    return _finds(text, chosen, warned)


def _finds(text: str, chosen: list[_Hit], warned: Collection[str]) -> list[Found]:
    chosen.sort(key=_BY_START)
    found = []
    for _, start, end, kind, value, card in chosen:
        raw = text[start:end]
        if card is not None:
            raw = money.mask_raw(raw)
        found.append(new_found(str(kind), value, (start, end), raw, value in warned, card))
    return found
