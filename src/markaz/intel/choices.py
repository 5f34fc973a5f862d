from django.db import models
from django.utils.translation import gettext_lazy as _


class SightingRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    VICTIM = "victim", _("Victim")
    MENTIONED = "mentioned", _("Mentioned")


class SightingField(models.TextChoices):
    SUSPECT_IDENTIFIER = "suspect_identifier", _("Suspect identifier")
    NARRATIVE = "narrative", _("Narrative")
    VICTIM_PHONE = "victim_phone", _("Victim's phone")
    VICTIM_EMAIL = "victim_email", _("Victim's e-mail")


class GuardState(models.TextChoices):
    """The automatic guard against values that glue everything together."""

    NONE = "", _("Not flagged")
    HELD = "held", _("Held for an analyst: links no further reports")
    CONFIRMED = "confirmed", _("Confirmed by an analyst: links")


class WarningListSource(models.TextChoices):
    SHIPPED = "shipped", _("Shipped with Markaz")
    ANALYST = "analyst", _("Added by an analyst")


class NotificationKind(models.TextChoices):
    INDICATOR_SIGHTED = "indicator_sighted", _("A watched indicator was seen again")
    CAMPAIGN_GREW = "campaign_grew", _("A report joined a watched campaign")
    INDICATOR_HELD = "indicator_held", _("An indicator needs confirmation")
