"""Synthetic reports for the demo and the benchmarks: seeded, fast, framework-free.

``generate_reports(count, seed=...)`` yields :class:`DemoReport` rows in the order they
were "submitted" (oldest first, spread over the year before ``until``). Most reports
belong to a *campaign*: a group that shares a suspect's phone, card, wallet, site or
Telegram handle, written in a different format in each report, as victims type them.
Campaign sizes have a long tail (most 2-5 reports, a few up to ``max_campaign_size``);
the rest are singletons. Some reports also name noise: the bank's hotline or site, the
marketplace, values shared by unrelated reports (``NOISE_*``). The same seed gives the
same reports.

Every card number passes Luhn and every wallet its base58check checksum, but all of them
are random: no real card or wallet is meant. Victims' phones and suspects' phones come
from disjoint sets (the parity of the subscriber digits' sum), so a victim's number never
equals a suspect's.

The module imports nothing from Django so that a benchmark can write a million rows
without a database; :meth:`DemoReport.as_draft` builds the intake service's draft.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import random
from array import array
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from string import Formatter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markaz.intake.services import ReportDraft

# ---------------------------------------------------------------------------------------
# Proportions

LANGUAGES = ("tg", "ru", "en")
LANGUAGE_WEIGHTS = (55, 35, 10)
CHANNELS = ("web", "phone", "walk_in", "partner")
CHANNEL_WEIGHTS = (58, 22, 12, 8)

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
LOSS_TJS = {
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

# ---------------------------------------------------------------------------------------
# Words that fill the stories (per language)

BANKS = {
    "tg": ("Алиф", "Эсхата", "Душанбе Сити", "Ҳумо", "Спитамен", "Амонатбонк", "Арванд"),
    "ru": ("Алиф", "Эсхата", "Душанбе Сити", "Хумо", "Спитамен", "Амонатбанк", "Арванд"),
    "en": ("Alif", "Eskhata", "Dushanbe City", "Humo", "Spitamen", "Amonatbonk", "Arvand"),
}
EWALLETS = ("DC Wallet", "Alif Mobi", "Humo", "Eskhata Online", "ZPay", "Tcell Pay")
MARKETS = {
    "tg": ("Somon.tj", "OLX", "Instagram", "гурӯҳи Telegram-и «Бозори Душанбе»", "Somon.tj"),
    "ru": ("Somon.tj", "OLX", "Instagram", "группе в Telegram «Барахолка Душанбе»", "Somon.tj"),
    "en": ("Somon.tj", "OLX", "Instagram", "a Telegram flea-market group", "Somon.tj"),
}
ITEMS = {
    "tg": (
        "iPhone 13",
        "Samsung Galaxy S22",
        "яхдон",
        "мошини ҷомашӯӣ",
        "қолин",
        "ноутбук",
        "PlayStation 5",
        "курта ва либоси тӯйӣ",
        "чархҳои мошини Opel",
        "телевизор",
    ),
    "ru": (
        "iPhone 13",
        "Samsung Galaxy S22",
        "холодильник",
        "стиральную машину",
        "ковёр",
        "ноутбук",
        "PlayStation 5",
        "свадебное платье",
        "шины для Opel",
        "телевизор",
    ),
    "en": (
        "an iPhone 13",
        "a Samsung Galaxy S22",
        "a fridge",
        "a washing machine",
        "a carpet",
        "a laptop",
        "a PlayStation 5",
        "a wedding dress",
        "tyres for an Opel",
        "a TV",
    ),
}
RU_CITIES = {
    "tg": ("Маскав", "Санкт-Петербург", "Екатеринбург", "Новосибирск", "Қазон"),
    "ru": ("Москве", "Санкт-Петербурге", "Екатеринбурге", "Новосибирске", "Казани"),
    "en": ("Moscow", "St Petersburg", "Yekaterinburg", "Novosibirsk", "Kazan"),
}
COINS = {"trx": "USDT (TRC20)", "btc": "BTC"}

MALE_FIRST = (
    "Фарҳод",
    "Сухроб",
    "Далер",
    "Фирдавс",
    "Шавкат",
    "Бахтиёр",
    "Ҷамшед",
    "Рустам",
    "Умед",
    "Комрон",
    "Парвиз",
    "Исмоил",
    "Баҳодур",
    "Нозим",
    "Зафар",
    "Алишер",
    "Шуҳрат",
    "Меҳроҷ",
    "Анвар",
    "Ҳусейн",
)
FEMALE_FIRST = (
    "Манижа",
    "Мадина",
    "Нигина",
    "Шабнам",
    "Зарина",
    "Гулноза",
    "Фарангис",
    "Нилуфар",
    "Мавзуна",
    "Малика",
    "Дилноза",
    "Таҳмина",
    "Мунира",
    "Парвина",
    "Ситора",
    "Сарвиноз",
    "Меҳрона",
    "Шаҳло",
)
SURNAMES_OV = (
    "Раҳимов",
    "Каримов",
    "Назаров",
    "Саидов",
    "Шарипов",
    "Ҳасанов",
    "Қодиров",
    "Юсупов",
    "Мирзоев",
    "Сафаров",
    "Исмоилов",
    "Давлатов",
    "Холов",
    "Ашуров",
    "Ғафуров",
    "Ҷураев",
)
SURNAMES_ZODA = ("Саидзода", "Шарифзода", "Азимзода", "Ҳакимзода", "Қурбонзода", "Насимзода")

_TO_RU = str.maketrans({"ҳ": "х", "Ҳ": "Х", "ӣ": "и", "ӯ": "у", "Ӯ": "У", "қ": "к", "Қ": "К"})
_TO_RU.update(str.maketrans({"ғ": "г", "Ғ": "Г", "ҷ": "дж", "Ҷ": "Дж"}))
_TO_LATIN = {
    **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye", strict=True)),
    "ж": "zh",
    "ё": "yo",
    "ю": "yu",
    "я": "ya",
    "ш": "sh",
    "ч": "ch",
    "х": "kh",
    "ц": "ts",
    "щ": "sh",
    "ъ": "",
    "ь": "",
    "ҳ": "h",
    "ӣ": "i",
    "ӯ": "u",
    "қ": "q",
    "ғ": "gh",
    "ҷ": "j",
}


def _latin(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        rep = _TO_LATIN.get(low, ch)
        out.append(rep.capitalize() if ch != low else rep)
    return "".join(out)


def _person(first: str, surname: str, female: bool) -> dict[str, str]:
    if female and surname.endswith(("ов", "ев")):
        surname += "а"
    tg = f"{first} {surname}"
    return {"tg": tg, "ru": tg.translate(_TO_RU), "en": _latin(tg)}


# Every (first name, surname) in every language, computed once.
PEOPLE: tuple[tuple[dict[str, str], bool], ...] = tuple(
    (_person(first, surname, female), female)
    for female, firsts in ((False, MALE_FIRST), (True, FEMALE_FIRST))
    for first in firsts
    for surname in SURNAMES_OV + SURNAMES_ZODA
)

# ---------------------------------------------------------------------------------------
# Stories. Placeholders: {phone} a suspect's Tajik phone, {rphone} a Russian one, {card},
# {tg} a Telegram handle (the template names Telegram so extraction sees it), {ig}, {site},
# {wallet}, {coin}, {email}; {amount} makes the report carry a loss. Plain words: {when},
# {bank}, {ewallet}, {market}, {item}, {friend}, {city}.

STORIES: dict[str, dict[str, tuple[str, ...]]] = {
    "fraud_marketplace": {
        "tg": (
            "Дар {market} эълон дидам, ки {item} мефурӯшанд. Фурӯшанда бо рақами {phone} гуфт, ки аввал пул гузаронам. {when} {amount} ба корти {card} фиристодам, баъд рақамро хомӯш кард.",
            "Ман {item} харидан хостам. Фурӯшанда дар Telegram {tg} навишт, ки мол бо почта меояд. Пулро ба корти {card} гузаронидам ({amount}), мол наомад ва маро блок кард.",
            "{when} {item}-ро дар {market} фурӯхтан мехостам. «Харидор» ба ман сомонаи {site} фиристод, ки гӯё пули доставка аст. Маълумоти корт ва рамзи SMS-ро ворид кардам ва аз ҳисобам {amount} гум шуд.",
            "Бо фурӯшанда тавассути WhatsApp {phone} гап задам. Пешпардохт {amount} хост ба {ewallet}. Пул фиристодам, вале {item} ҳеҷ гоҳ нарасид.",
            "Дар {market} {item} арзон буд. Одам худро фурӯшанда муаррифӣ кард ({phone}), гуфт барои бронь {amount} ба корти {card} гузаронам. Баъд ҷавоб намедиҳад.",
        ),
        "ru": (
            "На {market} увидел объявление: продают {item}. Продавец по номеру {phone} попросил предоплату. {when} я перевёл {amount} на карту {card}, после этого он пропал.",
            "Хотела купить {item}. Продавец в Telegram {tg} сказал, что отправит почтой. Я перевела {amount} на карту {card}, товар не пришёл, меня заблокировали.",
            "Продавал {item} на {market}. «Покупатель» прислал ссылку {site} якобы для получения оплаты за доставку. Я ввёл данные карты и код из SMS, с карты списали {amount}.",
            "Договорились с продавцом в WhatsApp {phone}, он попросил {amount} на {ewallet} как задаток. Деньги отправил, {item} так и не получил.",
        ),
        "en": (
            "I saw {item} for sale on {market}. The seller, phone {phone}, asked for prepayment. {when} I sent {amount} to card {card} and he stopped answering.",
            "I was selling {item} on {market}. A 'buyer' sent me a link {site} to receive the payment. I entered my card details and the SMS code and {amount} was taken.",
        ),
    },
    "fraud_impersonation": {
        "tg": (
            "{when} аз рақами {phone} занг заданд, гуфтанд аз хадамоти амнияти бонки {bank} ҳастанд ва кортам блок мешавад. Рамзи SMS-ро пурсиданд, ман гуфтам ва аз корт {amount} гирифта шуд.",
            "Шахсе бо рақами {phone} худро корманди бонки {bank} муаррифӣ кард. Гуфт, ки пулҳоро ба «ҳисоби бехатар» гузаронам: ба корти {card}. Ман {amount} гузаронидам.",
            "Занг заданд ({phone}), гуфтанд аз милиса ҳастанд ва писарам ба садама афтодааст. Барои «ҳал кардани масъала» {amount} ба корти {card} хостанд.",
            "{when} ба ман аз {phone} занг заданд: «кортатон дар Россия истифода шуд». Маро водор карданд, ки барномаи AnyDesk насб кунам. Баъд аз ҳисобам {amount} гум шуд.",
        ),
        "ru": (
            "{when} позвонили с номера {phone}, представились службой безопасности банка {bank}, сказали, что по карте подозрительная операция. Я назвала код из SMS, списали {amount}.",
            "Мне позвонили с {rphone}, сказали, что из банка {bank}, и попросили перевести деньги на «безопасный счёт» — карту {card}. Я перевёл {amount}.",
            "Звонок с номера {phone}: якобы сотрудник милиции, сын попал в ДТП, нужно {amount}. Деньги перевела на карту {card}.",
        ),
        "en": (
            "{when} someone called from {phone} saying he was from {bank} bank security and my card would be blocked. I told him the SMS code and {amount} was taken from my card.",
            "A man calling from {rphone} said he worked for {bank} and told me to move my money to a 'safe account', card {card}. I transferred {amount}.",
        ),
    },
    "hijack_telegram": {
        "tg": (
            "Аккаунти Telegram-и дӯстам {friend}-ро дуздиданд. Аз номи ӯ ба ман навиштанд, ки зуд {amount} қарз диҳам ба корти {card}. Ман фиристодам, баъд маълум шуд, ки ӯ нанавиштааст.",
            "Ба ман паёми «овоз диҳед» бо пайванди {site} омад. Рақами телефон ва рамзро ворид кардам ва аккаунти Telegram-ам гирифта шуд. Аз номи ман ба хешовандонам пул пурсидаанд.",
            "{when} аз аккаунти хоҳарам дар Telegram навиштанд, ки ба {ewallet} {amount} гузаронам. Рақами гиранда {phone} буд. Ин қаллобон буданд.",
            "Аккаунтамро гирифтанд, ҳоло аз он ба ҳама пул мепурсанд ва ба корти {card} мефиристанд. Бот {tg} рамзи маро гирифт.",
        ),
        "ru": (
            "Взломали Telegram моего друга {friend}. От его имени попросили срочно одолжить {amount} на карту {card}. Я перевёл, потом выяснилось, что писал не он.",
            "Пришло сообщение «проголосуй за мою племянницу» со ссылкой {site}. Я ввела номер и код, и мой Telegram угнали. Теперь от моего имени просят деньги у родных.",
            "{when} с аккаунта брата в Telegram попросили перевести {amount} на {ewallet} по номеру {phone}. Оказалось, аккаунт взломан.",
        ),
        "en": (
            "My friend {friend}'s Telegram account was hijacked. Someone writing as him asked me to lend {amount} to card {card}. I sent it; it was not him.",
            "I got a 'vote for my niece' message with a link {site}, entered my number and code, and lost my Telegram account. Now they ask my relatives for money.",
        ),
    },
    "fraud_investment": {
        "tg": (
            "Дар Telegram {tg} ваъда доданд, ки дар як ҳафта пулам ду баробар мешавад. Ман {amount} дар {coin} ба ҳамёни {wallet} фиристодам. Сомонаи {site} ҳоло кушода намешавад.",
            "Бо як «брокер» дар WhatsApp {phone} шинос шудам. Ӯ маро ба платформаи {site} сабт кард. Аввал фоида нишон дод, баъд барои баровардани пул «андоз» хост. Ҳамагӣ {amount} гум кардам.",
            "Дар Instagram реклама дидам, ки сармоягузорӣ ба «лоиҳаи Роғун» даромад медиҳад. Менеҷер {tg} гуфт {coin} харида ба {wallet} фиристам. {amount} рафт.",
        ),
        "ru": (
            "В Telegram {tg} обещали удвоить вложения за неделю. Я отправил {amount} в {coin} на кошелёк {wallet}. Сайт {site} теперь не открывается.",
            "Познакомилась в WhatsApp ({rphone}) с «брокером», он зарегистрировал меня на платформе {site}. Сначала показывали прибыль, потом для вывода потребовали «налог». Всего потеряла {amount}.",
            "Увидел рекламу в Instagram про инвестиции. Менеджер {tg} сказал купить {coin} и перевести на {wallet}. Отправил {amount}, вывести ничего нельзя.",
        ),
        "en": (
            "A Telegram channel {tg} promised to double my money in a week. I sent {amount} in {coin} to the wallet {wallet}. The site {site} no longer opens.",
            "A 'broker' on WhatsApp {rphone} signed me up on {site}. It showed profits, then asked for a 'tax' to withdraw. I lost {amount} in total.",
        ),
    },
    "fraud_job": {
        "tg": (
            "Дар Telegram {tg} эълон буд, ки дар {city} ба сохтмон коргар лозим аст. Барои патент ва чипта {amount} хостанд. Ба корти {card} фиристодам, баъд ҷавоб намедиҳанд.",
            "Ба рақами {rphone} занг задам, гуфтанд дар {city} кор ҳаст, маош 120 ҳазор рубл. Барои ҳуҷҷатҳо {amount} гузаронидам. Ҳеҷ кор набуд.",
            "Дар сомонаи {site} кори хонагӣ пешниҳод карданд: лайк мондан дар YouTube. Аввал каме пул доданд, баъд гуфтанд {amount} гузорам, то «сатҳ»-ро боло барам.",
        ),
        "ru": (
            "В Telegram {tg} объявление: требуются рабочие на стройку в {city}. За оформление патента и билет попросили {amount} на карту {card}. После оплаты заблокировали.",
            "Позвонил по номеру {rphone}, обещали работу в {city} с зарплатой 120 тысяч. Перевёл {amount} за документы, работы нет.",
            "На сайте {site} предложили работу на дому — ставить лайки. Сначала заплатили немного, потом сказали внести {amount} для «повышения уровня».",
        ),
        "en": (
            "A Telegram post {tg} offered construction jobs in {city}. They asked {amount} for the work permit and ticket, paid to card {card}, then blocked me.",
        ),
    },
    "phishing": {
        "tg": (
            "{when} SMS омад, ки гӯё аз {bank} аст: «корти шумо баста шуд, ба {site} гузаред». Маълумоти кортро навиштам ва {amount} гирифта шуд.",
            "Паём аз рақами {phone}: «Шумо бонус гирифтед», бо пайванди {site}. Ман ворид шудам ва аз {ewallet} {amount} гум шуд.",
            "Мактуб ба почтаам аз {email} омад, ки гӯё аз бонк аст. Пайванди {site} саҳифаи воридшавии {bank}-ро монанд буд.",
        ),
        "ru": (
            "{when} пришло SMS якобы от {bank}: «карта заблокирована, перейдите на {site}». Ввёл данные карты, списали {amount}.",
            "Сообщение с номера {phone}: «вам начислен бонус» и ссылка {site}. Я вошла, и с {ewallet} пропало {amount}.",
            "Пришло письмо с адреса {email}, похожее на письмо банка, со ссылкой {site}. Страница выглядела как вход в {bank}.",
        ),
        "en": (
            "{when} I got an SMS that looked like {bank}: 'your card is blocked, go to {site}'. I entered my card details and {amount} was taken.",
            "An e-mail from {email} with a link {site} looked exactly like the {bank} login page.",
        ),
    },
    "fraud_loan": {
        "tg": (
            "Дар Instagram рекламаи қарзи тез дидам, сомонаи {site}. Гуфтанд барои суғурта аввал {amount} ба {ewallet} гузаронам. Қарз надоданд.",
            "Ба рақами {phone} занг задам, ваъда доданд бе ҳуҷҷат қарз медиҳанд. {when} барои «комиссия» {amount} ба корти {card} фиристодам.",
        ),
        "ru": (
            "Увидела рекламу быстрого займа без справок, сайт {site}. Сказали оплатить страховку {amount} на {ewallet}. Кредит не дали.",
            "Позвонил по номеру {phone}, обещали кредит без документов. {when} перевёл {amount} «комиссии» на карту {card}, после этого тишина.",
        ),
        "en": (
            "An Instagram ad for fast loans led to {site}. They asked for an insurance fee of {amount} to {ewallet} first and never gave the loan.",
        ),
    },
    "fraud_prize": {
        "tg": (
            "Аз рақами {phone} занг заданд, ки ман дар лотереяи {bank} мошин бурдаам. Барои ҳуҷҷатгузорӣ {amount} хостанд.",
            "Дар Telegram {tg} навиштанд, ки iPhone бурдам, фақат пули доставкаро ({amount}) ба корти {card} гузаронам.",
            "Сомонаи {site} гуфт, ки ман ҷоиза гирифтам. Маълумоти корт хост ва {amount} гирифт.",
        ),
        "ru": (
            "Позвонили с номера {phone}, сказали, что я выиграла автомобиль в розыгрыше {bank}. Для оформления попросили {amount}.",
            "В Telegram {tg} написали, что я выиграл iPhone, нужно оплатить доставку {amount} на карту {card}.",
        ),
        "en": (
            "A message from Telegram {tg} said I had won an iPhone and only needed to pay {amount} for delivery to card {card}.",
        ),
    },
    "extortion": {
        "tg": (
            "Дар Instagram {ig} бо духтаре шинос шудам, видеозанг кардем. Баъд навиштанд, ки видеоро ба хешовандонам мефиристанд, агар {amount} надиҳам. Ба корти {card} пул гузаронидам.",
            "Аз Telegram {tg} таҳдид мекунанд, ки аксҳои маро паҳн мекунанд. {amount} хостанд ба {ewallet}.",
            "Ба почтаам аз {email} навиштанд, ки компютерамро шикастаанд ва видео доранд. {amount} дар {coin} ба {wallet} талаб мекунанд.",
        ),
        "ru": (
            "Познакомился в Instagram {ig}, был видеозвонок. Потом написали, что разошлют видео родственникам, если не заплачу {amount}. Перевёл на карту {card}.",
            "Из Telegram {tg} угрожают опубликовать мои фото. Требуют {amount} на {ewallet}.",
            "С адреса {email} пришло письмо: якобы взломали компьютер и есть видео. Требуют {amount} в {coin} на {wallet}.",
        ),
        "en": (
            "I met a woman on Instagram {ig} and we had a video call. Now they threaten to send the video to my family unless I pay {amount} to card {card}.",
            "An e-mail from {email} claims they hacked my computer and demands {amount} in {coin} to {wallet}.",
        ),
    },
    "fraud_romance": {
        "tg": (
            "Дар Instagram бо марде шинос шудам ({ig}), гуфт дар Дубай кор мекунад. Барои гумрук {amount} хост. Ба корти {card} фиристодам.",
        ),
        "ru": (
            "Познакомилась в Instagram с мужчиной ({ig}), говорил, что служит за границей. Попросил {amount} на растаможку подарка, перевела на карту {card}.",
        ),
        "en": (
            "I met a man on Instagram ({ig}) who said he worked in Dubai. He asked {amount} for customs on a parcel; I paid to card {card}.",
        ),
    },
    "hijack_whatsapp": {
        "tg": (
            "Аз рақами {phone} занг заданд, гуфтанд аз Tcell ҳастанд ва рамзро пурсиданд. Баъд WhatsApp-и маро гирифтанд ва аз дӯстонам {amount} пурсиданд.",
            "WhatsApp-и модарамро дуздиданд, аз номи ӯ пул пурсиданд ба корти {card}. Хешовандон {amount} фиристоданд.",
        ),
        "ru": (
            "Позвонили с номера {phone}, представились оператором и спросили код. После этого угнали мой WhatsApp и просили у друзей {amount}.",
        ),
        "en": (
            "Someone from {phone} asked for a code 'from the operator' and took over my WhatsApp.",
        ),
    },
    "hijack_instagram": {
        "tg": (
            "Саҳифаи Instagram-и мағозаи маро гирифтанд. Паём омад аз {ig}, ки гӯё аз Instagram аст, бо пайванди {site}. Ҳоло {amount} барои баргардонидан мехоҳанд.",
        ),
        "ru": (
            "Взломали Instagram моего магазина. Пришло сообщение от {ig} якобы от поддержки со ссылкой {site}. Теперь требуют {amount} за возврат.",
        ),
        "en": (
            "My shop's Instagram was taken over after a 'support' message from {ig} with a link {site}.",
        ),
    },
    "harassment": {
        "tg": (
            "Аз рақами {phone} ҳар рӯз занг мезананд ва таҳдид мекунанд.",
            "Дар Instagram {ig} дар бораи ман дурӯғ менависанд ва аксҳоямро мегузоранд.",
        ),
        "ru": (
            "С номера {phone} каждый день звонят и угрожают.",
            "В Telegram {tg} распространяют обо мне ложь и мои фотографии.",
        ),
        "en": ("I receive threats every day from {phone}.",),
    },
    "identity_theft": {
        "tg": (
            "Бо номи ман дар сомонаи {site} қарз гирифтаанд. Ман ҳеҷ гоҳ қарз нагирифтаам. Аз {phone} занг мезананд, ки {amount} қарздорам.",
        ),
        "ru": (
            "На моё имя оформили займ на сайте {site}. Теперь с номера {phone} требуют вернуть {amount}.",
        ),
        "en": (
            "Someone took a loan in my name on {site}; collectors from {phone} demand {amount}.",
        ),
    },
    "other": {
        "tg": (
            "Одаме бо рақами {phone} ваъда дод, ки барои ман виза мегирад, {amount} гирифт ва гум шуд.",
        ),
        "ru": ("Человек с номером {phone} обещал оформить визу, взял {amount} и пропал.",),
        "en": ("A man on {phone} promised to arrange a visa, took {amount} and disappeared.",),
    },
    "hijack_email": {
        "tg": ("Почтаи электронии маро шикастанд. Аз {email} мактуб омад бо пайванди {site}.",),
        "ru": ("Взломали мою почту. Перед этим пришло письмо с {email} со ссылкой {site}.",),
        "en": ("My e-mail was hacked after a message from {email} with a link to {site}.",),
    },
    "unauthorised_access": {
        "tg": ("Ба ҳисоби шахсии ман дар {bank} бе иҷозат ворид шуда, {amount} гузарониданд.",),
        "ru": ("В мой личный кабинет {bank} вошли без моего ведома и перевели {amount}.",),
        "en": ("Someone logged into my {bank} online banking and transferred {amount}.",),
    },
    "illegal_content": {
        "tg": ("Дар Telegram {tg} маводи манъшуда паҳн мекунанд.",),
        "ru": ("В Telegram-канале {tg} распространяют запрещённые материалы.",),
        "en": ("The Telegram channel {tg} shares illegal material.",),
    },
    "ransomware": {
        "tg": (
            "Компютерҳои идораи мо рамзгузорӣ шуданд. Барои калид {amount} дар {coin} ба {wallet} талаб мекунанд, тамос: {email}.",
        ),
        "ru": (
            "Компьютеры в офисе зашифрованы. За ключ требуют {amount} в {coin} на {wallet}, связь: {email}.",
        ),
        "en": (
            "Our office computers were encrypted. They demand {amount} in {coin} to {wallet}; contact {email}.",
        ),
    },
    "ddos": {
        "tg": (
            "Сомонаи мағозаи мо кор намекунад. Аз {email} навиштанд, ки ҳуҷумро барои {amount} қатъ мекунанд.",
        ),
        "ru": (
            "Наш интернет-магазин не работает из-за атаки. С {email} требуют {amount}, чтобы её прекратить.",
        ),
        "en": ("Our online shop is down under attack. {email} demands {amount} to stop it.",),
    },
}

OPENINGS = {
    "tg": ("", "", "Ассалому алайкум. ", "Салом. ", "Ба шумо муроҷиат мекунам. "),
    "ru": ("", "", "Здравствуйте. ", "Добрый день! ", "Прошу помочь. "),
    "en": ("", "", "Hello. ", "Good afternoon. "),
}
CLOSINGS = {
    "tg": (
        "",
        "",
        " Илтимос, ёрӣ диҳед.",
        " Хоҳиш мекунам чора андешед.",
        " Пуламро баргардонед, илтимос.",
        " Скриншотҳои мукотиба дорам.",
    ),
    "ru": (
        "",
        "",
        " Прошу принять меры.",
        " Помогите вернуть деньги.",
        " Скриншоты переписки есть.",
        " Прошу найти мошенников.",
    ),
    "en": ("", "", " Please help.", " I have screenshots of the chat.", " Please help me."),
}

# Noise: identifiers victims name that are not the suspect's (the bank they called, the
# bank's own site, the marketplace), so they recur across unrelated reports and would glue
# them together. The banks' sites are on the shipped warning list; the hotlines and the
# marketplace are not (``NOISE_UNLISTED``): an analyst lists them, or the guard holds them.
NOISE_RATE = 0.08
NOISE_HOTLINES = ("44 640 40 40", "44 600 15 15", "(44) 625-00-00", "+992 44 601 01 01")
NOISE_BANK_SITES = ("alif.tj", "eskhata.com", "dc.tj", "humo.tj", "amonatbonk.tj")
NOISE_SENTENCES = {
    "tg": (
        " Ба хати боварии бонк {hotline} занг задам, гуфтанд пул аллакай рафтааст.",
        " Дар сомонаи бонк {banksite} навиштаанд, ки рамзро ба касе нагӯед.",
    ),
    "ru": (
        " Позвонил в банк по горячей линии {hotline}, сказали, что деньги уже ушли.",
        " На сайте банка {banksite} написано, что код никому сообщать нельзя.",
    ),
    "en": (
        " I called the bank's hotline {hotline}; they said the money was already gone.",
        " The bank's site {banksite} says never to share the code.",
    ),
}
# (kind, value) of the noise that no shipped list covers, in a form ``warninglist_add`` reads.
NOISE_UNLISTED = (
    *(("phone", hotline) for hotline in NOISE_HOTLINES),
    ("domain", "somon.tj"),
)

IDENTIFIER_KEYS = ("phone", "rphone", "card", "tg", "ig", "site", "wallet", "email")
# The kind of the structured suspect row each placeholder becomes.
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


def _parse(template: str) -> tuple[str, tuple[str, ...]]:
    # A tuple in order of appearance, not a set: set order changes with PYTHONHASHSEED and
    # the generator must draw its random numbers in the same order in every process.
    names = [name for _t, name, _f, _c in Formatter().parse(template) if name]
    return template, tuple(dict.fromkeys(names))


# category -> language -> ((template, placeholders), ...)
_STORIES = {
    category: {lang: tuple(_parse(t) for t in templates) for lang, templates in by_lang.items()}
    for category, by_lang in STORIES.items()
}
_CATEGORY_KEYS = {
    category: frozenset(
        key
        for templates in by_lang.values()
        for _t, names in templates
        for key in names
        if key in ROW_KIND
    )
    for category, by_lang in _STORIES.items()
}

# ---------------------------------------------------------------------------------------
# Fast picking. random.choice and random.choices cost microseconds each (choices rebuilds
# its cumulative weights on every call); a million reports need hundreds of millions of
# picks, so the hot path draws one float and indexes or bisects.


class _Weighted:
    """A weighted choice with the cumulative weights computed once."""

    __slots__ = ("items", "cumulative", "total")

    def __init__(
        self, items: tuple[Any, ...] | list[Any], weights: tuple[float, ...] | list[float]
    ):
        self.items = tuple(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, random_float: float) -> Any:
        return self.items[bisect.bisect(self.cumulative, random_float * self.total)]


# ---------------------------------------------------------------------------------------
# Identifiers: each is made once, with the several ways people write it.

TJ_PREFIXES = ("93", "92", "91", "90", "98", "88", "55", "50", "77", "00", "11", "20", "99")
TJ_PREFIX_WEIGHTS = (16, 14, 12, 12, 10, 9, 6, 5, 5, 4, 3, 2, 2)
_TJ_PREFIX = _Weighted(TJ_PREFIXES, TJ_PREFIX_WEIGHTS)
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


def _identifier(rng: random.Random, key: str, coin: str) -> tuple[str, ...]:
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


# ---------------------------------------------------------------------------------------
# Money and time in words


# How each currency is written, per language; "{n}" is the number.
_MONEY = {
    "tg": {
        "TJS": ("{n} сомонӣ", "{n} сомонӣ", "{n} смн"),
        "USD": ("{n} доллар", "${n}"),
        "RUB": ("{n} рубл", "{n} рубли русӣ"),
    },
    "ru": {
        "TJS": ("{n} сомони", "{n} сомони", "{n} смн", "{n} TJS"),
        "USD": ("{n} долларов", "${n}", "{n} $"),
        "RUB": ("{n} рублей", "{n} руб.", "{n} ₽"),
    },
    "en": {
        "TJS": ("{n} somoni", "TJS {n}", "{n} TJS"),
        "USD": ("${n}", "{n} USD", "{n} dollars"),
        "RUB": ("{n} roubles", "{n} RUB"),
    },
}


def _amount_text(r: Any, lang: str, amount: int, currency: str) -> str:
    if amount < 1000 or r() < 0.5:
        number = str(amount)
    elif lang == "en":
        number = f"{amount:,}"
    else:
        number = f"{amount:,}".replace(",", " ")
    return _pick(_MONEY[lang][currency], r()).format(n=number)


_WHEN = {
    "tg": ("Имрӯз", "Дирӯз", "Парирӯз", "{n} рӯз пеш", "Санаи {date}"),
    "ru": ("Сегодня", "Вчера", "Позавчера", "{n} дня назад", "{date}"),
    "en": ("Today", "Yesterday", "Two days ago", "{n} days ago", "On {date}"),
}


def _when_text(lang: str, days: int, incident: datetime) -> str:
    words = _WHEN[lang]
    if days < 3:
        return words[days]
    if days < 7:
        return words[3].format(n=days)
    return words[4].format(date=incident.strftime("%d.%m.%Y"))


# ---------------------------------------------------------------------------------------
# The reports


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

    def as_draft(self) -> ReportDraft:
        from markaz.intake.services import ReportDraft

        return ReportDraft(
            category=self.category,
            narrative=self.narrative,
            language=self.language,
            incident_at=self.incident_at,
            incident_time_approximate=self.incident_time_approximate,
            region=self.region,
            district=self.district,
            loss_amount=self.loss_amount,
            loss_currency=self.loss_currency,
            payment_method=self.payment_method,
            suspect_identifiers=list(self.suspect_identifiers),
            victim_name=self.victim_name,
            victim_phone=self.victim_phone,
            victim_email=self.victim_email,
            victim_age_band=self.victim_age_band,
            victim_gender=self.victim_gender,
            consent=True,
        )


@dataclass(slots=True)
class _Campaign:
    category: str
    coin: str
    currency: str
    kit: dict[str, tuple[str, ...]]
    primary: str


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


def _place(rng: random.Random, count: int, sizes: list[int]) -> array:
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


def _region_table(country: dict[str, Any] | None) -> list[tuple[str, tuple[str, ...]]]:
    if country is None:
        import json
        from pathlib import Path

        path = Path(__file__).resolve().parent.parent / "countries" / "TJ" / "country.json"
        country = json.loads(path.read_text(encoding="utf-8"))
    return [(r["code"], tuple(d["code"] for d in r["districts"])) for r in country["regions"]]


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
    region_pick = _Weighted(regions, [REGION_WEIGHTS.get(code, 5) for code, _d in regions])

    cap = max(2, min(max_campaign_size, count // 10))
    sizes = _campaign_sizes(rng, int(count * campaign_share), cap)
    owner = _place(rng, count, sizes)
    campaigns: list[_Campaign] = []
    for _size in sizes:
        category = _CATEGORY.pick(rng.random())
        coin = "trx" if rng.random() < 0.8 else "btc"
        kit = {key: _identifier(rng, key, coin) for key in sorted(_CATEGORY_KEYS[category])}
        primary = rng.choice(sorted(kit)) if kit else ""
        currency = _currency(rng.random(), category)
        campaigns.append(_Campaign(category, coin, currency, kit, primary))

    # Times as POSIX seconds: datetime arithmetic per report would cost more than the rest.
    first_ts = first_day.timestamp() - utc_offset_hours * 3600
    r = rng.random
    recent: deque[tuple[int, DemoReport]] = deque(maxlen=30)
    for index in range(count):
        # Evenly spread, a little denser towards `until`, and mostly in waking hours.
        fraction = ((index + r()) / count) ** 0.9 * days
        day = int(fraction)
        submitted_ts = first_ts + day * 86400 + _local_hour(fraction - day) * 3600
        if recent and r() < duplicate_rate:
            original_index, original = recent[int(r() * len(recent))]
            yield _duplicate(rng, index, submitted_ts, original_index, original)
            continue
        campaign_no = owner[index]
        campaign = campaigns[campaign_no] if campaign_no >= 0 else None
        report = _report(rng, index, submitted_ts, campaign, campaign_no, region_pick)
        recent.append((index, report))
        yield report


_CATEGORY = _Weighted(tuple(CATEGORY_WEIGHTS), tuple(CATEGORY_WEIGHTS.values()))
_LANGUAGE = _Weighted(LANGUAGES, LANGUAGE_WEIGHTS)
_CHANNEL = _Weighted(CHANNELS, CHANNEL_WEIGHTS)
_AGE = _Weighted(AGE_BANDS, AGE_WEIGHTS)
_CURRENCY = {
    category: _Weighted([c for c, _w in options], [w for _c, w in options])
    for category, options in CURRENCY_BY_CATEGORY.items()
}


def _currency(random_float: float, category: str) -> str:
    weighted = _CURRENCY.get(category)
    if weighted is not None:
        return weighted.pick(random_float)
    return "TJS" if random_float < 0.92 else ("USD" if random_float < 0.97 else "RUB")


# A monotone map from the fraction of a day to the local hour: few reports at night, most
# between 9 and 22; monotone, so reports stay in submission order.
_DAY_SHAPE = ((0.00, 4.0), (0.15, 9.0), (0.35, 12.0), (0.60, 15.0), (0.85, 18.0), (1.00, 22.0))


def _local_hour(u: float) -> float:
    for (u0, h0), (u1, h1) in itertools.pairwise(_DAY_SHAPE):
        if u <= u1:
            return h0 + (u - u0) / (u1 - u0) * (h1 - h0)
    return _DAY_SHAPE[-1][1]


def _report(
    rng: random.Random,
    index: int,
    submitted_ts: float,
    campaign: _Campaign | None,
    campaign_no: int,
    region_pick: _Weighted,
) -> DemoReport:
    r = rng.random
    if campaign is not None:
        category, coin, currency, kit = (
            campaign.category,
            campaign.coin,
            campaign.currency,
            campaign.kit,
        )
    else:
        category = _CATEGORY.pick(r())
        coin = "trx" if r() < 0.8 else "btc"
        currency = _currency(r(), category)
        kit = {}
    lang = _LANGUAGE.pick(r())
    stories = _STORIES[category][lang]
    template, names = stories[int(r() * len(stories))]

    # Identifiers: the campaign's (or new ones), written in a form picked for this report.
    suspects: dict[str, tuple[str, ...]] = {}
    for key in names:
        if key in ROW_KIND:
            suspects[key] = kit[key] if key in kit else _identifier(rng, key, coin)
    if campaign is not None and campaign.primary and campaign.primary not in suspects:
        suspects[campaign.primary] = kit[campaign.primary]
    values: dict[str, str] = {key: forms[int(r() * len(forms))] for key, forms in suspects.items()}

    days_ago = min(int(-2.9 * math.log(1.0 - r())), 60)  # mostly reported within days
    incident_ts = submitted_ts - days_ago * 86400 - int(r() * 600) * 60
    submitted_at = datetime.fromtimestamp(submitted_ts, UTC)
    incident_at = datetime.fromtimestamp(incident_ts, UTC)
    person, female = PEOPLE[int(r() * len(PEOPLE))]
    values["when"] = _when_text(lang, days_ago, incident_at)
    values["coin"] = COINS[coin]
    for key in names:
        words = _FILLERS.get(key)
        if words is not None:
            choices = words[lang]
            values[key] = choices[int(r() * len(choices))]

    loss: Decimal | None = None
    loss_currency = ""
    if "amount" in names:
        low, high, step = LOSS_TJS[category]
        tjs = low * (high / low) ** r()  # log-uniform: small losses are the common ones
        rounding = step if currency == "TJS" else (10 if currency == "USD" else 500)
        value = max(rounding, int(tjs / TJS_PER[currency] / rounding) * rounding)
        loss = Decimal(value)
        loss_currency = currency
        values["amount"] = _amount_text(r, lang, value, currency)
        if "wallet" in names:
            payment = "crypto"
        elif "ewallet" in names:
            payment = "e_wallet"
        elif "card" in names:
            payment = "bank_card" if r() < 0.85 else "money_transfer"
        else:
            payment = DEFAULT_PAYMENT.get(category, "bank_card")
    else:
        payment = "none" if r() < 0.7 else ""

    narrative = (
        _pick(OPENINGS[lang], r()) + template.format_map(values) + _pick(CLOSINGS[lang], r())
    )
    if r() < NOISE_RATE:
        narrative += _pick(NOISE_SENTENCES[lang], r()).format(
            hotline=_pick(NOISE_HOTLINES, r()), banksite=_pick(NOISE_BANK_SITES, r())
        )

    # The structured rows: often the victim also types the identifiers into the form,
    # usually in another way than in the story.
    rows: list[tuple[str, str]] = []
    for key, forms in suspects.items():
        if key not in names or r() < 0.55:
            rows.append((ROW_KIND[key], forms[int(r() * len(forms))]))

    region, districts = region_pick.pick(r())
    district = districts[int(r() * len(districts))] if districts and r() < 0.85 else ""
    gender = ("female" if female else "male") if r() < 0.95 else "unsaid"
    return DemoReport(
        index=index,
        channel=_CHANNEL.pick(r()),
        submitted_at=submitted_at,
        category=category,
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
        victim_phone=_victim_phone(r),
        victim_email=_victim_email(r, person["en"]) if r() < 0.2 else "",
        victim_age_band=_AGE.pick(r()) if r() < 0.8 else "",
        victim_gender=gender if r() < 0.85 else "",
        campaign=campaign_no if campaign_no >= 0 else None,
        suspects=suspects,
    )


# The plain words of a story, per language (only those a template names are drawn).
_FILLERS: dict[str, dict[str, tuple[str, ...]]] = {
    "bank": BANKS,
    "ewallet": {lang: EWALLETS for lang in LANGUAGES},
    "market": MARKETS,
    "item": ITEMS,
    "city": RU_CITIES,
    "friend": {
        lang: tuple(dict.fromkeys(person[lang].partition(" ")[0] for person, _f in PEOPLE))
        for lang in LANGUAGES
    },
}


def _pick(items: tuple[Any, ...], random_float: float) -> Any:
    return items[int(random_float * len(items))]


def _victim_phone(r: Any) -> str:
    national = _TJ_PREFIX.pick(r()) + _subscriber(r(), r(), 1)
    return tj_phone_form(national, int(r() * len(TJ_PHONE_FORMS)))


def _victim_email(r: Any, latin_name: str) -> str:
    first, _sp, last = latin_name.lower().partition(" ")
    return f"{first}.{last}{int(r() * 98) + 1}@{_pick(MAIL_HOSTS, r())}"


def _duplicate(
    rng: random.Random, index: int, submitted_ts: float, original_index: int, original: DemoReport
) -> DemoReport:
    """The same victim files the same story again, by another channel and in other words."""
    lang = original.language
    # Another story that names only what the first one did, and a loss only if it had one.
    fitting = [
        template
        for template, names in _STORIES[original.category][lang]
        if ("amount" in names) == (original.loss_amount is not None)
        and all(key in original.suspects for key in names if key in ROW_KIND)
    ]
    if not fitting:
        fitting = [original.narrative.replace("{", "{{").replace("}", "}}")]
    template = rng.choice(fitting)
    values = {key: rng.choice(forms) for key, forms in original.suspects.items()}
    wallet = original.suspects.get("wallet", ("T",))[0]
    moment = datetime.fromtimestamp(submitted_ts, UTC)
    values.update(
        when=_when_text(lang, 1, moment),
        bank=rng.choice(BANKS[lang]),
        ewallet=rng.choice(EWALLETS),
        market=rng.choice(MARKETS[lang]),
        item=rng.choice(ITEMS[lang]),
        city=rng.choice(RU_CITIES[lang]),
        coin=COINS["trx" if wallet.startswith("T") else "btc"],
        friend=rng.choice(PEOPLE)[0][lang].split()[0],
        amount=_amount_text(
            rng.random, lang, int(original.loss_amount or 100), original.loss_currency or "TJS"
        ),
    )
    return DemoReport(
        index=index,
        channel=rng.choice(("phone", "walk_in", "web")),
        submitted_at=moment,
        category=original.category,
        narrative=template.format_map(values) + rng.choice(CLOSINGS[lang]),
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
