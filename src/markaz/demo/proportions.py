"""How often things happen in the demo's reports: languages, channels, crimes, losses, hours.

Also the fast picking the generator draws with: random.choice and random.choices cost
microseconds each (choices rebuilds its cumulative weights on every call); a million
reports need hundreds of millions of picks, so the hot path draws one float and indexes
or bisects.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

LANGUAGES = ("tg", "ru", "en")
LANGUAGE_WEIGHTS = (55, 35, 10)
CHANNELS = ("web", "phone", "walk_in", "partner")
CHANNEL_WEIGHTS = (58, 22, 12, 8)

# The order matters: the same seed picks by position.
CATEGORY_WEIGHTS: dict[str, int] = {
    "fraud_marketplace": 170,
    "fraud_impersonation": 130,
    "hijack_telegram": 100,
    "fraud_investment": 80,
    "fraud_job": 80,
    "phishing": 70,
    "fraud_loan": 55,
    "fraud_prize": 55,
    "extortion": 50,
    "fraud_romance": 30,
    "hijack_whatsapp": 30,
    "hijack_instagram": 30,
    "harassment": 30,
    "identity_theft": 20,
    "other": 15,
    "hijack_email": 10,
    "unauthorised_access": 10,
    "illegal_content": 7,
    "ransomware": 5,
    "ddos": 3,
}

# (region, weight): roughly where people live; districts are picked evenly within.
REGION_WEIGHTS = {"DU": 14, "SU": 30, "KT": 33, "RS": 20, "GB": 3}
AGE_BANDS = ("under_18", "18_25", "26_35", "36_50", "51_65", "over_65")
AGE_WEIGHTS = (4, 26, 31, 23, 12, 4)

# How money left, when the story does not say it through a card, wallet or e-wallet.
DEFAULT_PAYMENT = {
    "fraud_job": "money_transfer",
    "fraud_impersonation": "bank_card",
    "fraud_romance": "money_transfer",
    "fraud_loan": "e_wallet",
    "fraud_prize": "e_wallet",
    "extortion": "e_wallet",
    "other": "cash_courier",
}

# Loss per category: (low, high, rounding) in somoni, and the currencies victims name.
LOSS_TJS: dict[str, tuple[int, int, int]] = {
    "fraud_marketplace": (150, 6000, 50),
    "fraud_impersonation": (500, 25000, 100),
    "hijack_telegram": (200, 3000, 50),
    "fraud_investment": (1000, 60000, 500),
    "fraud_job": (500, 4000, 100),
    "phishing": (100, 12000, 10),
    "fraud_loan": (100, 1500, 50),
    "fraud_prize": (50, 900, 10),
    "extortion": (300, 5000, 100),
    "fraud_romance": (1000, 30000, 500),
    "hijack_whatsapp": (200, 3000, 50),
    "hijack_instagram": (200, 3000, 50),
    "identity_theft": (500, 8000, 100),
    "other": (100, 3000, 50),
    "hijack_email": (100, 2000, 50),
    "unauthorised_access": (500, 10000, 100),
    "ransomware": (2000, 40000, 1000),
    "harassment": (100, 1000, 50),
    "illegal_content": (100, 1000, 50),
    "ddos": (1000, 20000, 1000),
}
CURRENCY_BY_CATEGORY = {
    "fraud_investment": (("USD", 55), ("TJS", 40), ("RUB", 5)),
    "fraud_job": (("TJS", 55), ("RUB", 45)),
    "fraud_romance": (("USD", 50), ("TJS", 50)),
    "ransomware": (("USD", 80), ("TJS", 20)),
    "extortion": (("TJS", 70), ("USD", 20), ("RUB", 10)),
}
TJS_PER = {"TJS": 1.0, "USD": 10.9, "RUB": 0.12}

# The share of reports that also name noise: a bank's hotline or site (identifiers.py).
NOISE_RATE = 0.08


class Weighted(Generic[T]):
    """A weighted choice with the cumulative weights computed once."""

    __slots__ = ("items", "cumulative", "total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, random_float: float) -> T:
        return self.items[bisect.bisect(self.cumulative, random_float * self.total)]


def pick(items: Sequence[T], random_float: float) -> T:
    """The item a float in [0, 1) falls on, all items equally likely."""
    return items[int(random_float * len(items))]


CATEGORY = Weighted(tuple(CATEGORY_WEIGHTS), tuple(CATEGORY_WEIGHTS.values()))
LANGUAGE = Weighted(LANGUAGES, LANGUAGE_WEIGHTS)
CHANNEL = Weighted(CHANNELS, CHANNEL_WEIGHTS)
AGE = Weighted(AGE_BANDS, AGE_WEIGHTS)
_CURRENCY = {
    category: Weighted([c for c, _w in options], [w for _c, w in options])
    for category, options in CURRENCY_BY_CATEGORY.items()
}


def currency_pick(random_float: float, category: str) -> str:
    """The currency a victim of `category` names (mostly somoni)."""
    weighted = _CURRENCY.get(category)
    if weighted is not None:
        return weighted.pick(random_float)
    return "TJS" if random_float < 0.92 else ("USD" if random_float < 0.97 else "RUB")


# A monotone map from the fraction of a day to the local hour: few reports at night, most
# between 9 and 22; monotone, so reports stay in submission order.
_DAY_SHAPE = ((0.00, 4.0), (0.15, 9.0), (0.35, 12.0), (0.60, 15.0), (0.85, 18.0), (1.00, 22.0))


def local_hour(u: float) -> float:
    for (u0, h0), (u1, h1) in itertools.pairwise(_DAY_SHAPE):
        if u <= u1:
            return h0 + (u - u0) / (u1 - u0) * (h1 - h0)
    return _DAY_SHAPE[-1][1]
