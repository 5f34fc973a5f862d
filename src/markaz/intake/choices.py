from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    PARTNER = "partner", _("Partner")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_TRIAGE = "in_triage", _("In triage")
    NEEDS_INFORMATION = "needs_information", _("Needs more information")
    LINKED_TO_CASE = "linked_to_case", _("Linked to a case")
    DUPLICATE = "duplicate", _("Duplicate")
    CLOSED = "closed", _("Closed")


# Which status a report may move to from which: one table, checked by the service.
STATUS_MOVES: dict[str, frozenset[str]] = {
    ReportStatus.RECEIVED: frozenset(
        {
            ReportStatus.IN_TRIAGE,
            ReportStatus.NEEDS_INFORMATION,
            ReportStatus.DUPLICATE,
            ReportStatus.CLOSED,
        }
    ),
    ReportStatus.IN_TRIAGE: frozenset(
        {
            ReportStatus.NEEDS_INFORMATION,
            ReportStatus.DUPLICATE,
            ReportStatus.CLOSED,
        }
    ),
    ReportStatus.NEEDS_INFORMATION: frozenset(
        {ReportStatus.IN_TRIAGE, ReportStatus.DUPLICATE, ReportStatus.CLOSED}
    ),
    # A report enters and leaves "linked to a case" only when a case links or unlinks it
    # (intake.services.report_mark_linked_to_case / report_unmark_linked_to_case), so that
    # the status always agrees with the case that holds the report.
    ReportStatus.LINKED_TO_CASE: frozenset(),
    ReportStatus.DUPLICATE: frozenset({ReportStatus.IN_TRIAGE}),
    ReportStatus.CLOSED: frozenset({ReportStatus.IN_TRIAGE}),
}

# Moves that only their own action makes, because they need more than a status: marking a
# duplicate names the original report (report_mark_duplicate).
STATUS_BY_OWN_ACTION = frozenset({ReportStatus.DUPLICATE})

# Moves that need a reason written down.
STATUS_NEEDS_REASON = frozenset({ReportStatus.CLOSED})


class PaymentMethod(models.TextChoices):
    BANK_CARD = "bank_card", _("Bank card")
    E_WALLET = "e_wallet", _("E-wallet")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    MONEY_TRANSFER = "money_transfer", _("Money-transfer service")
    CRYPTO = "crypto", _("Cryptocurrency")
    CASH_COURIER = "cash_courier", _("Cash to a courier")
    NONE = "none", _("No money was lost")


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail")
    WEBSITE = "website", _("Website")
    SOCIAL = "social", _("Social network account")
    CRYPTO = "crypto", _("Crypto wallet address")
    CARD = "card", _("Bank card")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_25 = "18_25", _("18–25")
    AGE_26_35 = "26_35", _("26–35")
    AGE_36_50 = "36_50", _("36–50")
    AGE_51_65 = "51_65", _("51–65")
    OVER_65 = "over_65", _("Over 65")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSAID = "unsaid", _("Prefer not to say")


class ReportLanguage(models.TextChoices):
    TAJIK = "tg", _("Tajik")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
