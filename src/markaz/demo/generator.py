"""Synthetic reports for the demo and the benchmarks: seeded, fast, framework-free.

``generate_reports(count, seed=...)`` yields :class:`DemoReport` rows in the order they
were "submitted" (oldest first, spread over the year before ``until``). Most reports
belong to a *campaign*: a group that shares a suspect's phone, card, wallet, site or
Telegram handle, written in a different format in each report, as victims type them.
Campaign sizes have a long tail (most 2-5 reports, a few up to ``max_campaign_size``);
the rest are singletons. Some reports also name noise: the bank's hotline or site, the
marketplace, values shared by unrelated reports (``identifiers.NOISE_*``). The same seed
gives the same reports.

What the reports say comes from the data files (stories.py, words.py, people.py), the
identifiers from identifiers.py, how often things happen from proportions.py. Nothing
here imports Django, so that a benchmark can write a million rows without a database;
the ``demo`` command turns a report into the intake service's draft.
"""

from __future__ import annotations

import json
import math
import random
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from markaz.demo.identifiers import (
    NOISE_BANK_SITES,
    NOISE_HOTLINES,
    ROW_KIND,
    identifier,
    victim_email,
    victim_phone,
)
from markaz.demo.people import PEOPLE
from markaz.demo.proportions import (
    AGE,
    CATEGORY,
    CHANNEL,
    DEFAULT_PAYMENT,
    LANGUAGE,
    LOSS_TJS,
    NOISE_RATE,
    REGION_WEIGHTS,
    TJS_PER,
    Weighted,
    currency_pick,
    local_hour,
    pick,
)
from markaz.demo.stories import CATEGORY_KEYS, STORIES
from markaz.demo.words import WORDS, amount_text, when_text

# Regions and districts when the caller gives no country: the shipped Tajikistan.
COUNTRY_FILE = Path(__file__).resolve().parent.parent / "countries" / "TJ" / "country.json"

Regions = Weighted[tuple[str, tuple[str, ...]]]


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made
# building a report several times slower than everything else the generator does.
@dataclass(slots=True)
class DemoReport:
    """One synthetic report: what the intake service stores, plus how it arrived.

    `campaign` numbers the group the report belongs to (None for a singleton): the
    ground truth a correlation benchmark can check itself against. `duplicate_of` is the
    index of an earlier report the same victim already filed.
    """

    index: int
    channel: str
    submitted_at: datetime
    category: str
    narrative: str
    language: str
    incident_at: datetime | None
    incident_time_approximate: bool
    region: str
    district: str
    loss_amount: Decimal | None
    loss_currency: str
    payment_method: str
    suspect_identifiers: list[tuple[str, str]]
    victim_name: str
    victim_phone: str
    victim_email: str
    victim_age_band: str
    victim_gender: str
    campaign: int | None = None
    duplicate_of: int | None = None
    # Every written form of each suspect identifier the report carries (key -> forms).
    suspects: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)


@dataclass(slots=True)
class _Campaign:
    category: str
    coin: str
    currency: str
    kit: dict[str, tuple[str, ...]]
    primary: str


@dataclass(slots=True)
class _Story:
    """The story a report tells, before its placeholders are filled."""

    category: str
    coin: str
    currency: str
    lang: str
    template: str
    names: tuple[str, ...]


def generate_reports(
    count: int,
    *,
    seed: int = 2026,
    until: datetime | None = None,
    days: int = 365,
    campaign_share: float = 0.7,
    max_campaign_size: int = 200,
    duplicate_rate: float = 0.012,
    country: dict[str, Any] | None = None,
    utc_offset_hours: int = 5,
) -> Iterator[DemoReport]:
    """Yield `count` synthetic reports, oldest first, submitted over `days` before `until`.

    About `campaign_share` of them belong to campaigns (sizes capped at
    `max_campaign_size`, and at a tenth of `count` so small demos still have several);
    the rest are singletons with identifiers of their own.
    """
    rng = random.Random(seed)
    until = (until or datetime.now(UTC)).astimezone(UTC)
    # Whole local days before the one `until` falls in, so no report lies in the future.
    offset = timedelta(hours=utc_offset_hours)
    today = (until + offset).replace(hour=0, minute=0, second=0, microsecond=0)
    first_day = today - timedelta(days=days)

    regions = _region_table(country)
    region_pick = Weighted(regions, [REGION_WEIGHTS.get(code, 5) for code, _d in regions])

    cap = max(2, min(max_campaign_size, count // 10))
    sizes = _campaign_sizes(rng, int(count * campaign_share), cap)
    owner = _place(rng, count, sizes)
    campaigns = [_campaign_make(rng) for _size in sizes]

    # Times as POSIX seconds: datetime arithmetic per report would cost more than the rest.
    first_ts = first_day.timestamp() - utc_offset_hours * 3600
    r = rng.random
    recent: deque[tuple[int, DemoReport]] = deque(maxlen=30)
    for index in range(count):
        # Evenly spread, a little denser towards `until`, and mostly in waking hours.
        fraction = ((index + r()) / count) ** 0.9 * days
        day = int(fraction)
        submitted_ts = first_ts + day * 86400 + local_hour(fraction - day) * 3600
        if recent and r() < duplicate_rate:
            original_index, original = recent[int(r() * len(recent))]
            yield _duplicate(rng, index, submitted_ts, original_index, original)
            continue
        campaign_no = owner[index]
        campaign = campaigns[campaign_no] if campaign_no >= 0 else None
        report = _report(rng, index, submitted_ts, campaign, campaign_no, region_pick)
        recent.append((index, report))
        yield report


def _campaign_sizes(rng: random.Random, budget: int, cap: int) -> list[int]:
    """Sizes from a Pareto tail: most 2-5, a few up to `cap`, summing to about `budget`."""
    sizes: list[int] = []
    total = 0
    while total < budget and cap >= 2:
        size = min(cap, int(2 * rng.paretovariate(1.35)), budget - total)
        if size < 2:
            break
        sizes.append(size)
        total += size
    return sizes


def _place(rng: random.Random, count: int, sizes: list[int]) -> array[int]:
    """Which campaign owns each report slot (-1: singleton); a campaign runs for a while."""
    owner = array("l", [-1]) * count
    order = sorted(range(len(sizes)), key=lambda c: -sizes[c])
    for campaign in order:
        size = sizes[campaign]
        width = min(count, max(size * 2, size * rng.randint(3, 25), 40))
        start = rng.randrange(count - width + 1)
        for _ in range(size):
            pos = start + rng.randrange(width)
            for _probe in range(count):
                if owner[pos] == -1:
                    break
                pos = pos + 1 if pos + 1 < count else 0
            owner[pos] = campaign
    return owner


def _campaign_make(rng: random.Random) -> _Campaign:
    """A campaign's crime and its kit: the suspect identifiers its reports share."""
    category = CATEGORY.pick(rng.random())
    coin = "trx" if rng.random() < 0.8 else "btc"
    kit = {key: identifier(rng, key, coin) for key in sorted(CATEGORY_KEYS[category])}
    primary = rng.choice(sorted(kit)) if kit else ""
    currency = currency_pick(rng.random(), category)
    return _Campaign(category, coin, currency, kit, primary)


def _region_table(country: dict[str, Any] | None) -> list[tuple[str, tuple[str, ...]]]:
    if country is None:
        country = json.loads(COUNTRY_FILE.read_text(encoding="utf-8"))
    regions: list[dict[str, Any]] = country["regions"]
    return [(r["code"], tuple(d["code"] for d in r["districts"])) for r in regions]


# The order of the draws below is the seed's contract: the same seed gives the same reports
# only while every r() is drawn in the same order (tests/demo pins a digest of them).
def _report(
    rng: random.Random,
    index: int,
    submitted_ts: float,
    campaign: _Campaign | None,
    campaign_no: int,
    region_pick: Regions,
) -> DemoReport:
    r = rng.random
    story = _story_pick(r, campaign)
    lang = story.lang
    # Identifiers: the campaign's (or new ones), written in a form picked for this report.
    suspects = _suspects(rng, story, campaign)
    values: dict[str, str] = {key: forms[int(r() * len(forms))] for key, forms in suspects.items()}

    days_ago = min(int(-2.9 * math.log(1.0 - r())), 60)  # mostly reported within days
    incident_ts = submitted_ts - days_ago * 86400 - int(r() * 600) * 60
    incident_at = datetime.fromtimestamp(incident_ts, UTC)
    person, female = PEOPLE[int(r() * len(PEOPLE))]
    values["when"] = when_text(lang, days_ago, incident_at)
    values["coin"] = WORDS.coins[story.coin]
    _words_fill(r, story, values)
    loss, loss_currency, payment = _loss(r, story, values)
    narrative = _narrative(r, story, values)
    rows = _rows(r, suspects, story.names)

    region, districts = region_pick.pick(r())
    district = districts[int(r() * len(districts))] if districts and r() < 0.85 else ""
    gender = ("female" if female else "male") if r() < 0.95 else "unsaid"
    return DemoReport(
        index=index,
        channel=CHANNEL.pick(r()),
        submitted_at=datetime.fromtimestamp(submitted_ts, UTC),
        category=story.category,
        narrative=narrative,
        language=lang,
        incident_at=incident_at if r() < 0.9 else None,
        incident_time_approximate=r() < 0.35,
        region=region,
        district=district,
        loss_amount=loss,
        loss_currency=loss_currency,
        payment_method=payment,
        suspect_identifiers=rows,
        victim_name=person[lang] if r() < 0.93 else "",
        victim_phone=victim_phone(r),
        victim_email=victim_email(r, person["en"]) if r() < 0.2 else "",
        victim_age_band=AGE.pick(r()) if r() < 0.8 else "",
        victim_gender=gender if r() < 0.85 else "",
        campaign=campaign_no if campaign_no >= 0 else None,
        suspects=suspects,
    )


def _story_pick(r: Callable[[], float], campaign: _Campaign | None) -> _Story:
    if campaign is not None:
        category, coin, currency = campaign.category, campaign.coin, campaign.currency
    else:
        category = CATEGORY.pick(r())
        coin = "trx" if r() < 0.8 else "btc"
        currency = currency_pick(r(), category)
    lang = LANGUAGE.pick(r())
    stories = STORIES.templates[category][lang]
    template, names = stories[int(r() * len(stories))]
    return _Story(category, coin, currency, lang, template, names)


def _suspects(
    rng: random.Random, story: _Story, campaign: _Campaign | None
) -> dict[str, tuple[str, ...]]:
    """The suspect identifiers a report carries: those its story names, and its campaign's."""
    kit = campaign.kit if campaign is not None else {}
    suspects: dict[str, tuple[str, ...]] = {}
    for key in story.names:
        if key in ROW_KIND:
            suspects[key] = kit[key] if key in kit else identifier(rng, key, story.coin)
    if campaign is not None and campaign.primary and campaign.primary not in suspects:
        suspects[campaign.primary] = kit[campaign.primary]
    return suspects


def _words_fill(r: Callable[[], float], story: _Story, values: dict[str, str]) -> None:
    """The story's plain words (only those it names are drawn)."""
    for key in story.names:
        words = WORDS.fillers.get(key)
        if words is not None:
            choices = words[story.lang]
            values[key] = choices[int(r() * len(choices))]


def _loss(
    r: Callable[[], float], story: _Story, values: dict[str, str]
) -> tuple[Decimal | None, str, str]:
    """(amount, currency, payment method); a story without {amount} names no loss."""
    names = story.names
    if "amount" not in names:
        return None, "", "none" if r() < 0.7 else ""
    low, high, step = LOSS_TJS[story.category]
    tjs = low * (high / low) ** r()  # log-uniform: small losses are the common ones
    currency = story.currency
    rounding = step if currency == "TJS" else (10 if currency == "USD" else 500)
    value = max(rounding, int(tjs / TJS_PER[currency] / rounding) * rounding)
    values["amount"] = amount_text(r, story.lang, value, currency)
    if "wallet" in names:
        payment = "crypto"
    elif "ewallet" in names:
        payment = "e_wallet"
    elif "card" in names:
        payment = "bank_card" if r() < 0.85 else "money_transfer"
    else:
        payment = DEFAULT_PAYMENT.get(story.category, "bank_card")
    return Decimal(value), currency, payment


def _narrative(r: Callable[[], float], story: _Story, values: dict[str, str]) -> str:
    lang = story.lang
    opening = pick(STORIES.openings[lang], r())
    narrative = opening + story.template.format_map(values) + pick(STORIES.closings[lang], r())
    if r() < NOISE_RATE:
        narrative += pick(STORIES.noise[lang], r()).format(
            hotline=pick(NOISE_HOTLINES, r()), banksite=pick(NOISE_BANK_SITES, r())
        )
    return narrative


def _rows(
    r: Callable[[], float], suspects: dict[str, tuple[str, ...]], names: tuple[str, ...]
) -> list[tuple[str, str]]:
    """The structured rows: often the victim also types the identifiers into the form,
    usually in another way than in the story."""
    rows: list[tuple[str, str]] = []
    for key, forms in suspects.items():
        if key not in names or r() < 0.55:
            rows.append((ROW_KIND[key], forms[int(r() * len(forms))]))
    return rows


def _duplicate(
    rng: random.Random, index: int, submitted_ts: float, original_index: int, original: DemoReport
) -> DemoReport:
    """The same victim files the same story again, by another channel and in other words."""
    lang = original.language
    # Another story that names only what the first one did, and a loss only if it had one.
    fitting = [
        template
        for template, names in STORIES.templates[original.category][lang]
        if ("amount" in names) == (original.loss_amount is not None)
        and all(key in original.suspects for key in names if key in ROW_KIND)
    ]
    if not fitting:
        fitting = [original.narrative.replace("{", "{{").replace("}", "}}")]
    template = rng.choice(fitting)
    moment = datetime.fromtimestamp(submitted_ts, UTC)
    values = _duplicate_values(rng, original, moment)
    return DemoReport(
        index=index,
        channel=rng.choice(("phone", "walk_in", "web")),
        submitted_at=moment,
        category=original.category,
        narrative=template.format_map(values) + rng.choice(STORIES.closings[lang]),
        language=lang,
        incident_at=original.incident_at,
        incident_time_approximate=True,
        region=original.region,
        district=original.district,
        loss_amount=original.loss_amount,
        loss_currency=original.loss_currency,
        payment_method=original.payment_method,
        suspect_identifiers=list(original.suspect_identifiers),
        victim_name=original.victim_name,
        victim_phone=original.victim_phone,
        victim_email=original.victim_email,
        victim_age_band=original.victim_age_band,
        victim_gender=original.victim_gender,
        campaign=original.campaign,
        duplicate_of=original_index,
        suspects=original.suspects,
    )


def _duplicate_values(rng: random.Random, original: DemoReport, moment: datetime) -> dict[str, str]:
    """Every placeholder a fitting story may name, filled afresh but for the suspects."""
    lang = original.language
    fillers = WORDS.fillers
    values = {key: rng.choice(forms) for key, forms in original.suspects.items()}
    wallet = original.suspects.get("wallet", ("T",))[0]
    values.update(
        when=when_text(lang, 1, moment),
        bank=rng.choice(fillers["bank"][lang]),
        ewallet=rng.choice(fillers["ewallet"][lang]),
        market=rng.choice(fillers["market"][lang]),
        item=rng.choice(fillers["item"][lang]),
        city=rng.choice(fillers["city"][lang]),
        coin=WORDS.coins["trx" if wallet.startswith("T") else "btc"],
        friend=rng.choice(PEOPLE)[0][lang].split()[0],
        amount=amount_text(
            rng.random, lang, int(original.loss_amount or 100), original.loss_currency or "TJS"
        ),
    )
    return values
