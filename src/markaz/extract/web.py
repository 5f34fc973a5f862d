"""E-mail addresses, URLs, domains and IP addresses: refanging and normal forms."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import idna
import tldextract

from .types import InvalidIndicator, Kind

# File extensions that are also real top-level domains (.zip, .mov) or that people glue
# to a name with a dot: a bare ``name.ext`` with one of these is a file, not a site.
FILE_EXTENSIONS = frozenset(
    [
        "zip",
        "rar",
        "7z",
        "gz",
        "tar",
        "tgz",
        "bz2",
        "xz",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "bmp",
        "webp",
        "heic",
        "tif",
        "tiff",
        "svg",
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "rtf",
        "txt",
        "csv",
        "log",
        "json",
        "xml",
        "yml",
        "yaml",
        "ini",
        "cfg",
        "exe",
        "msi",
        "dll",
        "apk",
        "ipa",
        "dmg",
        "iso",
        "bin",
        "bat",
        "cmd",
        "ps1",
        "sh",
        "py",
        "js",
        "ts",
        "jar",
        "mp3",
        "mp4",
        "m4a",
        "wav",
        "ogg",
        "opus",
        "mov",
        "avi",
        "mkv",
        "wmv",
        "webm",
        "3gp",
        "html",
        "htm",
        "php",
        "asp",
        "aspx",
        "md",
        "db",
        "sqlite",
        "bak",
        "tmp",
        "dat",
        "vcf",
    ]
)

# Cyrillic public suffixes accepted in free text. The others on the list (сайт, онлайн,
# орг, ком, дети, католик) read as ordinary words when a full stop is missing a space.
CYRILLIC_SUFFIXES = frozenset(
    {"рф", "рус", "бел", "укр", "қаз", "срб", "мкд", "мон", "москва", "бг"}
)

_DEFANG = (
    (re.compile(r"\s?[\[({]\s*(?:\.|dot)\s*[\])}]\s?", re.IGNORECASE), "."),
    (re.compile(r"\s?[\[({]\s*(?:@|at)\s*[\])}]\s?", re.IGNORECASE), "@"),
    (re.compile(r"\[:\]|\(:\)"), ":"),
    (re.compile(r"\[/\]"), "/"),
)
_SCHEME_FANG = re.compile(r"^(?:hxxp|hxtp|htxp|hxxps|h\*\*p|fxp)(s?)(?=:)", re.IGNORECASE)


def refang(text: str) -> str:
    """Undo the usual defanging: ``[.]``, ``(dot)``, ``[at]``, ``[:]``, ``hxxp``."""
    if "[" in text or "(" in text or "{" in text:  # every bracketed form has one
        for pattern, repl in _DEFANG:
            text = pattern.sub(repl, text)
    match = _SCHEME_FANG.match(text)
    if match:
        scheme = "ftp" if match.group(0).lower().startswith("f") else "http"
        if match.group(0).lower().endswith("s"):
            scheme += "s"
        text = scheme + text[match.end() :]
    return text


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The bundled snapshot of the Public Suffix List; never fetch (suffix_list_urls=()),
    # never write a cache (cache_dir=None).
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=1)
def top_labels() -> frozenset[str]:
    """The last labels of every public suffix, for a cheap first check."""
    return frozenset(suffix.rsplit(".", 1)[-1] for suffix in _extractor().tlds)


# A label of lower-case Russian letters, digits and hyphens, the usual IDN label here, is
# left as it is by nameprep (no case folding, normalisation or prohibited character
# applies), so its IDNA form is "xn--" and its punycode: the stdlib's idna codec runs
# nameprep in Python, over 100 µs a host. Everything else goes through the codec.
_PLAIN_CYRILLIC_LABEL = re.compile(r"[а-яё0-9-]+")


@lru_cache(maxsize=4096)
def _plain_cyrillic_ace(label: str) -> str | None:
    """The IDNA form of a plain Cyrillic label, or None when the codec must decide."""
    if label.isascii() or not _PLAIN_CYRILLIC_LABEL.fullmatch(label):
        return None
    encoded = "xn--" + label.encode("punycode").decode("ascii")
    return encoded if len(encoded) < 64 else None


def _idna(host: str) -> str | None:
    """Lower-case a host and turn Unicode labels into punycode; None when impossible."""
    host = host.lower().rstrip(".")
    if host.isascii():
        return host
    labels = []
    for label in host.split("."):
        if label.isascii() and 0 < len(label) < 64:
            labels.append(label)
            continue
        encoded = _plain_cyrillic_ace(label)
        if encoded is None:
            break
        labels.append(encoded)
    else:
        return ".".join(labels)
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def tld_plausible(tld: str) -> bool:
    """A cheap first look at the last label of a host found in free text."""
    if tld.isascii():
        return tld in top_labels() or tld.startswith("xn--")
    return tld in CYRILLIC_SUFFIXES


_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
# Every label of a host is a _LABEL: one match over the host (no label holds a dot).
_LABELS = re.compile(rf"(?:{_LABEL.pattern}\.)*{_LABEL.pattern}")


class _SuffixNode:
    """A node of the public suffix trie, its labels as they are written in a host."""

    __slots__ = ("children", "end")

    def __init__(self) -> None:
        self.children: dict[str, _SuffixNode] = {}
        self.end = False


def _host_label(label: str) -> str | None:
    """The one lower-case ASCII label of a host that tldextract reads as ``label``.

    tldextract decodes each ``xn--`` label of a host with idna before it looks the
    label up; idna decodes only the canonical A-label of a U-label, and always to a
    non-ASCII one. So an ASCII rule label is met only by itself, a Unicode one only
    by its A-label (None when idna refuses it, so that no host label can reach it).
    """
    if label.isascii():
        if label.startswith("xn--") and _idna_decodes(label):
            return None  # tldextract would read the host's label as its U-label
        return label
    try:
        ace = "xn--" + label.encode("punycode").decode("ascii")
    except UnicodeError:
        return None
    return ace if _idna_decodes(ace) == label else None


def _idna_decodes(label: str) -> str | None:
    try:
        return idna.decode(label)
    except (UnicodeError, IndexError):  # as tldextract's _decode_punycode
        return None


@lru_cache(maxsize=1)
def _suffix_trie() -> _SuffixNode:
    """tldextract's trie of the public (not private) suffixes of its bundled list,
    built once with every label in its host form, so that a lookup decodes nothing:
    tldextract's decoding of a host's IDN labels (idna, ~15 µs a label) was most of
    the cost of a host with one."""
    root = _SuffixNode()
    for suffix in _extractor().tlds:
        node = root
        for rule_label in reversed(suffix.split(".")):
            exception = rule_label.startswith("!")
            label = _host_label(rule_label[1:] if exception else rule_label)
            if label is None:
                break
            key = "!" + label if exception else label
            node = node.children.setdefault(key, _SuffixNode())
        else:
            node.end = True
    return root


def _public_suffix_start(labels: list[str]) -> int | None:
    """Index of the first label of the host's public suffix, None without one: the walk
    of tldextract's ``suffix_index`` (a wildcard is consulted only when no rule names
    the label; an exception rule ``!label`` undoes it)."""
    node = _suffix_trie()
    start = None
    index = len(labels)
    for label in reversed(labels):
        child = node.children.get(label)
        if child is not None:
            index -= 1
            node = child
            if node.end:
                start = index
            continue
        if "*" in node.children:
            return index if "!" + label in node.children else index - 1
        break
    return start


@lru_cache(maxsize=4096)
def host_ok(host: str) -> bool:
    """A host name (already lower-case, punycode) under a real public suffix, with a
    name of its own before it (what tldextract calls a domain and a suffix)."""
    if len(host) > 253 or "." not in host:
        return False
    if not _LABELS.fullmatch(host):
        return False
    labels = host.split(".")
    if labels[-1].isdigit():
        return False
    start = _public_suffix_start(labels)
    return start is not None and start > 0


def _unicode_tld(host: str) -> str:
    return host.rstrip(".").rsplit(".", 1)[-1].lower()


def normalize_domain(raw: str, *, free_text: bool = False) -> str:
    """Lower-case, punycode, no trailing dot, no leading ``www.``; real suffix required."""
    text = refang(raw.strip())
    tld = _unicode_tld(text)
    if free_text:
        if tld in FILE_EXTENSIONS:
            raise InvalidIndicator(Kind.DOMAIN, f"{raw!r} looks like a file name")
        if not tld.isascii() and tld not in CYRILLIC_SUFFIXES:
            raise InvalidIndicator(Kind.DOMAIN, f"{raw!r} has no public suffix")
    host = _idna(text)
    if host is None or not host_ok(host):
        raise InvalidIndicator(Kind.DOMAIN, f"{raw!r} is not a host under a public suffix")
    if host.startswith("www.") and host_ok(host[4:]):
        host = host[4:]
    return host


_EMAIL = re.compile(r"([a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64})@([^@\s]+)", re.IGNORECASE)


def normalize_email(raw: str) -> str:
    """Lower-case, punycode domain; defanged ``[at]`` and ``[.]`` accepted."""
    text = refang(raw.strip())
    match = _EMAIL.fullmatch(text)
    if not match:
        raise InvalidIndicator(Kind.EMAIL, f"{raw!r} is not an e-mail address")
    local, domain = match.groups()
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidIndicator(Kind.EMAIL, f"{raw!r} has a malformed local part")
    host = _idna(domain)
    if host is None or not host_ok(host):
        raise InvalidIndicator(Kind.EMAIL, f"{raw!r} has no domain under a public suffix")
    return f"{local.lower()}@{host}"


_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}


def normalize_url(raw: str) -> str:
    """Refanged; scheme and host lower-case; IDN host in punycode; ``https://`` added
    to scheme-less links; default port dropped; an empty path becomes ``/``."""
    text = refang(raw.strip())
    if "://" not in text[:12]:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidIndicator(Kind.URL, f"{raw!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidIndicator(Kind.URL, f"{raw!r}: scheme {scheme!r} is not http, https or ftp")
    hostname = parts.hostname or ""
    host = _idna(hostname)
    if host is None:
        raise InvalidIndicator(Kind.URL, f"{raw!r}: host {hostname!r} is not a valid name")
    ip = ip_normal(host.strip("[]"))
    if ip is None and not host_ok(host):
        raise InvalidIndicator(Kind.URL, f"{raw!r}: host {hostname!r} has no public suffix")
    netloc = f"[{ip}]" if ip and ":" in ip else (ip or host)
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    if "@" in parts.netloc:  # what parts.username is not None means, without parsing
        userinfo = parts.netloc.rsplit("@", 1)[0]
        netloc = f"{userinfo}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


_IPV4_TEXT = re.compile(r"(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}")


def ip_normal(text: str) -> str | None:
    """RFC 5952 text of an IP address (IPv4-mapped IPv6 keeps its dotted tail)."""
    if ":" not in text:
        # Without a colon only dotted-quad IPv4 can be valid; decide it without
        # ipaddress (most calls are for host names, which fail here at once).
        if _IPV4_TEXT.fullmatch(text) is None:
            return None
        return text if all(int(part) <= 255 for part in text.split(".")) else None
    if _HEX_AND_COLONS.fullmatch(text):
        return _plain_ipv6_normal(text)
    try:  # with a colon only IPv6 can be valid (ip_address would try IPv4 first)
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    if address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


_HEX_AND_COLONS = re.compile(r"[0-9A-Fa-f:]+")


def _plain_ipv6_normal(text: str) -> str | None:
    """``str(ipaddress.IPv6Address(text))`` (``::ffff:`` and the dotted IPv4 address for
    a mapped one), or None where it raises, for a text of hex digits and colons only:
    ipaddress's rules (at most one ``::``, eight groups of one to four digits) without
    building its objects, a third of the time. ``test_extract_checks`` holds the two to
    one answer on hypothesis-built texts."""
    groups = _ipv6_groups(text.split(":"))
    if groups is None or any(len(group) > 4 for group in groups):
        return None
    values = [int(group, 16) for group in groups]
    if values[5] == 0xFFFF and not any(values[:5]):
        return f"::ffff:{values[6] >> 8}.{values[6] & 255}.{values[7] >> 8}.{values[7] & 255}"
    return _compressed([f"{value:x}" for value in values])


def _ipv6_groups(parts: list[str]) -> list[str] | None:
    """The eight groups of an address split at its colons, "::" filled with zeros, as
    ipaddress counts them; None where it refuses the shape."""
    if not 3 <= len(parts) <= 9:
        return None
    empty = [i for i in range(1, len(parts) - 1) if not parts[i]]
    if len(empty) > 1:
        return None
    if not empty:
        return parts if len(parts) == 8 and parts[0] and parts[-1] else None
    skip = empty[0]
    high, low = skip, len(parts) - skip - 1
    if not parts[0]:
        high -= 1  # a leading ":" only as part of a leading "::"
        if high:
            return None
    if not parts[-1]:
        low -= 1
        if low:
            return None
    if high + low > 7:
        return None
    return parts[:high] + ["0"] * (8 - high - low) + parts[len(parts) - low :]


def _compressed(hextets: list[str]) -> str:
    """RFC 5952: the first longest run of two or more zero groups becomes "::"."""
    best_start, best_length, start, length = -1, 0, -1, 0
    for index, hextet in enumerate(hextets):
        if hextet == "0":
            length += 1
            if start == -1:
                start = index
            if length > best_length:
                best_start, best_length = start, length
        else:
            start, length = -1, 0
    if best_length < 2:
        return ":".join(hextets)
    head = ":".join(hextets[:best_start])
    tail = ":".join(hextets[best_start + best_length :])
    return f"{head}::{tail}"


def normalize_ipv4(raw: str) -> str:
    text = refang(raw.strip())
    try:
        return str(ipaddress.IPv4Address(text))
    except ValueError as exc:
        raise InvalidIndicator(Kind.IPV4, f"{raw!r}: {exc}") from None


def normalize_ipv6(raw: str) -> str:
    text = refang(raw.strip()).strip("[]")
    try:
        ipaddress.IPv6Address(text)
    except ValueError as exc:
        raise InvalidIndicator(Kind.IPV6, f"{raw!r}: {exc}") from None
    return ip_normal(text) or text
