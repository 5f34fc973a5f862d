"""Warning lists: values that are seen, shown, but must not link reports.

Entries are (kind, value) pairs of :mod:`markaz.extract` kinds, plus ``cidr`` for IP
ranges. A ``domain`` entry covers the domain, its subdomains and a bare link to them
(``https://web.telegram.org/``), but not a page under them: ``sites.google.com/view/x``
is somebody's page and still links.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet
from django.utils import timezone

from markaz.extract import Kind
from markaz.intel.choices import WarningListSource
from markaz.intel.models import Indicator, WarningListEntry

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "warninglist.json"
CIDR = "cidr"
ENTRY_KINDS = (CIDR, *(kind.value for kind in Kind if kind != Kind.CARD))

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def domain_parents(host: str) -> list[str]:
    """``a.b.example.tj`` -> [a.b.example.tj, b.example.tj, example.tj, tj]."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def bare_link_host(url: str) -> str | None:
    """The host of a link to a site's front page (no path, query or fragment), else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    return (parts.hostname or "").lower() or None


@dataclass
class Matcher:
    """The active warning list in memory, answering "is this value covered?"."""

    exact: set[tuple[str, str]] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    networks: list[IPNetwork] = field(default_factory=list)

    def add(self, kind: str, value: str) -> None:
        if kind == CIDR:
            self.networks.append(ipaddress.ip_network(value, strict=False))
        elif kind == Kind.DOMAIN:
            self.domains.add(value)
        else:
            self.exact.add((kind, value))

    def covers(self, kind: str, value: str) -> bool:
        if (kind, value) in self.exact:
            return True
        if kind == Kind.DOMAIN:
            return any(parent in self.domains for parent in domain_parents(value))
        if kind == Kind.URL:
            host = bare_link_host(value)
            return host is not None and any(p in self.domains for p in domain_parents(host))
        if kind in (Kind.IPV4, Kind.IPV6) and self.networks:
            try:
                address = ipaddress.ip_address(value)
            except ValueError:
                return False
            return any(address in network for network in self.networks)
        return False


def warninglist_matcher() -> Matcher:
    """The active entries (a few hundred rows, one query)."""
    matcher = Matcher()
    for kind, value in WarningListEntry.objects.filter(active=True).values_list("kind", "value"):
        matcher.add(kind, value)
    return matcher


def shipped_entries() -> Iterable[dict[str, object]]:
    data = json.loads(SHIPPED_FILE.read_text(encoding="utf-8"))
    for shipped in data["lists"]:
        for entry in shipped["entries"]:
            yield {
                "kind": entry["kind"],
                "value": entry["value"],
                "list_name": shipped["name"],
                "note": entry.get("note", ""),
                "to_verify": bool(entry.get("to_verify", shipped.get("to_verify", False))),
            }


def warninglist_load_shipped() -> int:
    """Insert shipped entries that are not in the table yet; never revive a removed one.

    Returns how many were added. Indicators they cover are not re-flagged here: that is
    ``warninglist_apply`` (run by ``markaz intel reindex`` and by analysts' changes).
    """
    now = timezone.now()
    existing = set(WarningListEntry.objects.values_list("kind", "value"))
    new = [
        WarningListEntry(source=WarningListSource.SHIPPED, changed_at=now, **entry)
        for entry in shipped_entries()
        if (entry["kind"], entry["value"]) not in existing
    ]
    WarningListEntry.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def warninglist_load_shipped_after_migrate(*, using: str = "default", **_kwargs: object) -> None:
    from django.db import connections

    if "intel_warninglistentry" not in connections[using].introspection.table_names():
        return
    warninglist_load_shipped()


def indicators_possibly_covered(kind: str, value: str) -> QuerySet[Indicator]:
    """Indicators an entry (kind, value) might cover: a superset, filtered by ``Matcher``."""
    if kind == CIDR:
        return Indicator.objects.filter(kind__in=[Kind.IPV4, Kind.IPV6])
    if kind == Kind.DOMAIN:
        return Indicator.objects.filter(
            Q(kind=Kind.DOMAIN, value=value)
            | Q(kind=Kind.DOMAIN, value__endswith="." + value)
            | Q(kind=Kind.URL, value__contains=value)
        )
    return Indicator.objects.filter(kind=kind, value=value)


def entry_value_normal(kind: str, raw: str) -> str:
    """The stored form of an analyst's entry; raises ValueError when it is not valid."""
    if kind == CIDR:
        return str(ipaddress.ip_network(raw.strip(), strict=False))
    from markaz.extract import normalize
    from markaz.intel.extraction import card_key, phone_region

    try:
        return normalize(kind, raw, region=phone_region(), card_key=card_key())
    except ValueError:
        if kind != Kind.DOMAIN:
            raise
        # A link pasted as a domain: its host is what was meant.
        host = urlsplit(normalize(Kind.URL, raw, region=phone_region())).hostname or ""
        return normalize(Kind.DOMAIN, host, region=phone_region())
