from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    ATTACHMENT = "attachment", _("Victim's attachment")
    PHYSICAL = "physical", _("Physical item")


class EvidenceState(models.TextChoices):
    HELD = "held", _("Held")
    RETURNED = "returned", _("Returned")
    DESTROYED = "destroyed", _("Destroyed")


class CustodyKind(models.TextChoices):
    ACQUIRED = "acquired", _("Acquired")
    TRANSFERRED = "transferred", _("Transferred")
    EXAMINED = "examined", _("Examined")
    COPIED = "copied", _("Copied")
    EXPORTED = "exported", _("Exported")
    RETURNED = "returned", _("Returned")
    DESTROYED = "destroyed", _("Destroyed")


# What a person records by hand on the item's page; acquisition, copies and exports are
# written by the services that acquire, download and package.
RECORDABLE_KINDS = (
    CustodyKind.TRANSFERRED,
    CustodyKind.EXAMINED,
    CustodyKind.RETURNED,
    CustodyKind.DESTROYED,
)
