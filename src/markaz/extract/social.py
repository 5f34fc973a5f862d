"""Social-network accounts: profile links and ``@handle`` mentions.

A profile link names its network; a bare ``@handle`` does not, so the network is taken
from the nearest mention of one ("в телеграме", "Instagram", "дар тикток"), and a handle
with no such mention anywhere in the text is left out rather than guessed.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .phones import phone_e164
from .types import InvalidIndicator, Kind

_RULES: dict[str, re.Pattern[str]] = {
    Kind.TELEGRAM: re.compile(r"[a-z][a-z0-9_]{3,31}"),
    Kind.INSTAGRAM: re.compile(r"[a-z0-9_](?:[a-z0-9_]|\.(?!\.)){0,28}[a-z0-9_]|[a-z0-9_]"),
    Kind.TIKTOK: re.compile(r"[a-z0-9_][a-z0-9_.]{0,22}[a-z0-9_]"),
    Kind.VK: re.compile(r"[a-z0-9_][a-z0-9_.]{1,30}[a-z0-9_]"),
    Kind.OK: re.compile(r"[a-z0-9_][a-z0-9_.]{1,62}[a-z0-9_]"),
    Kind.FACEBOOK: re.compile(r"[a-z0-9][a-z0-9.]{3,48}[a-z0-9]"),
}

# Paths that are pages of the site, not accounts.
_RESERVED: dict[str, frozenset[str]] = {
    Kind.TELEGRAM: frozenset(
        [
            "joinchat",
            "addstickers",
            "addemoji",
            "addtheme",
            "proxy",
            "socks",
            "share",
            "iv",
            "login",
            "c",
            "s",
            "confirmphone",
            "setlanguage",
            "contact",
            "bg",
            "boost",
            "invoice",
            "giftcode",
        ]
    ),
    Kind.INSTAGRAM: frozenset(
        [
            "p",
            "reel",
            "reels",
            "tv",
            "explore",
            "stories",
            "accounts",
            "direct",
            "about",
            "legal",
            "developer",
            "web",
            "challenge",
            "emails",
            "session",
            "privacy",
            "help",
        ]
    ),
    Kind.TIKTOK: frozenset(["video", "tag", "music", "discover", "foryou", "live", "t", "embed"]),
    Kind.VK: frozenset(
        [
            "wall",
            "feed",
            "im",
            "photo",
            "video",
            "audio",
            "album",
            "club",
            "public",
            "event",
            "away",
            "login",
            "search",
            "share",
            "doc",
            "app",
            "apps",
            "market",
            "friends",
            "groups",
            "settings",
            "support",
            "topic",
            "write",
        ]
    ),
    Kind.OK: frozenset(
        ["group", "video", "music", "dk", "games", "search", "feed", "messages", "settings"]
    ),
    Kind.FACEBOOK: frozenset(
        [
            "groups",
            "pages",
            "watch",
            "share",
            "sharer",
            "events",
            "marketplace",
            "photo",
            "photos",
            "story.php",
            "permalink.php",
            "login",
            "help",
            "policies",
            "privacy",
            "gaming",
            "hashtag",
            "ads",
            "business",
            "reel",
            "reels",
            "plugins",
            "dialog",
            "messages",
            "notifications",
            "settings",
            "home.php",
            "l.php",
        ]
    ),
}

_HOSTS: dict[str, str] = {
    "t.me": Kind.TELEGRAM,
    "telegram.me": Kind.TELEGRAM,
    "telegram.dog": Kind.TELEGRAM,
    "instagram.com": Kind.INSTAGRAM,
    "instagr.am": Kind.INSTAGRAM,
    "wa.me": Kind.WHATSAPP,
    "api.whatsapp.com": Kind.WHATSAPP,
    "vk.com": Kind.VK,
    "m.vk.com": Kind.VK,
    "vk.ru": Kind.VK,
    "ok.ru": Kind.OK,
    "m.ok.ru": Kind.OK,
    "tiktok.com": Kind.TIKTOK,
    "m.tiktok.com": Kind.TIKTOK,
    "facebook.com": Kind.FACEBOOK,
    "m.facebook.com": Kind.FACEBOOK,
    "fb.com": Kind.FACEBOOK,
    "web.facebook.com": Kind.FACEBOOK,
}


def handle_ok(kind: str, handle: str) -> bool:
    rule = _RULES.get(kind)
    return bool(rule and rule.fullmatch(handle)) and handle not in _RESERVED.get(kind, ())


def normalize_handle(kind: str, raw: str, *, region: str) -> str:
    """Lower-case, no ``@``; a profile link of the same network is accepted too."""
    text = raw.strip()
    if "/" in text or text.lower().startswith(("t.me", "wa.me")):
        found = profile_from_url(text if "://" in text else "https://" + text, region=region)
        if found is None or found[0] != kind:
            raise InvalidIndicator(kind, f"{raw!r} is not a {kind} profile link")
        return found[1]
    if kind == Kind.WHATSAPP:
        value = phone_e164(text, region=region, russian_context=True)
        if value is None:
            raise InvalidIndicator(kind, f"{raw!r} is not a valid phone number")
        return value
    handle = text.removeprefix("@").lower()
    if not handle_ok(kind, handle):
        raise InvalidIndicator(kind, f"{raw!r} is not a valid {kind} user name")
    return handle


def may_be_profile(url: str) -> bool:
    """False when no known network's host is even part of the URL's authority, so that
    ``profile_from_url`` need not split the URL again (half the links are not profiles)."""
    start = url.find("://")
    start = 0 if start < 0 else start + 3
    end = url.find("/", start)
    return _ANY_HOST.search(url, start, len(url) if end < 0 else end) is not None


# Any of the hosts, anywhere (one search instead of a substring test per host).
_ANY_HOST = re.compile("|".join(re.escape(host) for host in _HOSTS))


def profile_from_url(url: str, *, region: str) -> tuple[str, str] | None:
    """(kind, account) when a URL (already refanged) is a profile on a known network."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    host = host.removeprefix("www.")
    kind = _HOSTS.get(host)
    if kind is None:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if kind == Kind.WHATSAPP:
        value = _whatsapp_number(host, segments, parts.query, region)
        return (kind, value) if value else None
    # Only a link to the account itself names it; a post, a video or a group under it
    # (t.me/name/123, tiktok.com/@name/video/...) stays a URL.
    if kind == Kind.TELEGRAM and len(segments) == 2 and segments[0].lower() == "s":
        segments = segments[1:]
    if kind == Kind.OK and len(segments) == 2 and segments[0].lower() == "profile":
        return (kind, segments[1]) if segments[1].isdigit() else None
    if kind == Kind.FACEBOOK and segments == ["profile.php"]:
        ident = (parse_qs(parts.query).get("id") or [""])[0]
        return (kind, ident) if ident.isdigit() else None
    if len(segments) != 1:
        return None
    name = segments[0].lower()
    if kind == Kind.TIKTOK:
        if not name.startswith("@"):
            return None
        name = name[1:]
    return (kind, name) if handle_ok(kind, name) else None


def _whatsapp_number(host: str, segments: list[str], query: str, region: str) -> str | None:
    """E.164 of a WhatsApp link's account: wa.me/<number> or api.whatsapp.com/send?phone=."""
    if host == "wa.me" and len(segments) == 1:
        number = segments[0]
    elif segments == ["send"]:
        number = (parse_qs(query).get("phone") or [""])[0]
    else:
        return None
    return phone_e164("+" + number.lstrip("+"), region=region)


# --- @handle mentions --------------------------------------------------------------------

# Matched on the lower-cased text. Every alternative starts with a literal, so the regex
# engine skips ahead by first character instead of trying each position; alternatives are
# grouped by that first letter (the frequent т, и, в start several), so that a
# position fails on one comparison per group rather than one per word.
_PLATFORM_WORDS = re.compile(
    r"(?:t(?:elegr|g|ik ?tok)|т(?:елег|г|ик ?-?ток)|i(?:nstagr|nsta|nst|g)|и(?:нстагр|нста|нст)"
    r"|в(?:контакте|к|атсап|отсап|ацап)|v(?:kontakte|k)|одноклассник|odnoklassniki"
    r"|f(?:acebook|b)|ф(?:ейсбук|б)|whats ?app|уатсап)"
)
_PLATFORM_OF = (
    (("telegr", "телег", "тг", "tg"), Kind.TELEGRAM),
    (("instagr", "инстагр", "инста", "insta", "inst", "инст", "ig"), Kind.INSTAGRAM),
    (("tik", "тик"), Kind.TIKTOK),
    (("вконтакте", "vkontakte", "vk", "вк"), Kind.VK),
    (("одноклассник", "odnoklassniki"), Kind.OK),
    (("facebook", "фейсбук", "fb", "фб"), Kind.FACEBOOK),
    (("whats", "ватсап", "вотсап", "вацап", "уатсап"), Kind.WHATSAPP),
)
# Short names count only as whole words ("tg", not the "tg" inside "settgings").
_SHORT = frozenset({"тг", "tg", "ig", "inst", "инст", "vk", "вк", "fb", "фб"})
_BEFORE = 80
_AFTER = 40


def platform_mentions(text: str) -> list[tuple[int, str]]:
    """Offsets and kinds of every mention of a network in the text."""
    low = text.lower()
    out = []
    for match in _PLATFORM_WORDS.finditer(low):
        word = match.group()
        start, end = match.span()
        if start > 0 and low[start - 1].isalnum():
            continue
        if word in _SHORT and end < len(low) and low[end].isalnum():
            continue
        for prefixes, kind in _PLATFORM_OF:
            if word.startswith(prefixes):
                out.append((start, str(kind)))
                break
    return out


def platform_for(position: int, mentions: list[tuple[int, str]]) -> str | None:
    """The network a handle at ``position`` belongs to: the nearest mention in a window
    around it, else the only network the text names; None when undecidable."""
    best: tuple[int, str] | None = None
    for start, kind in mentions:
        distance = position - start
        if -_AFTER <= distance <= _BEFORE:
            key = abs(distance)
            if best is None or key < best[0]:
                best = (key, kind)
    if best is not None:
        return best[1]
    kinds = {kind for _, kind in mentions}
    return kinds.pop() if len(kinds) == 1 else None
