"""What a report submitted as data looks like: the API's body, a line of a bulk import.

Plain pydantic models, shared by the API (``markaz.web.intake.api``), the bulk import
(``markaz.flows.imports``) and report validation (``markaz.intake.validation``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from markaz.intake.choices import IdentifierKind, PaymentMethod, ReportLanguage


# Input only: plain pydantic models. ninja's Schema wraps every validation to read ORM
# objects by attribute (its DjangoGetter), which a request body or an import row never
# is; that wrapper cost more than the validation itself (a bulk import validates rows
# by the thousand).
class SuspectIdentifierIn(BaseModel):
    kind: IdentifierKind
    value: str = Field(..., max_length=300)


class ReportIn(BaseModel):
    external_id: str = Field(
        "", max_length=100, description="Your own id; a repeat returns the stored report."
    )
    category: str = Field(..., max_length=64, description="A code from the category taxonomy.")
    narrative: str
    language: ReportLanguage = ReportLanguage.TAJIK
    incident_at: datetime | None = None
    incident_time_approximate: bool = False
    region: str = Field("", max_length=16)
    district: str = Field("", max_length=16)
    loss_amount: Decimal | None = None
    loss_currency: str = Field("", max_length=3, description="ISO 4217 code")
    payment_method: PaymentMethod | None = None
    suspect_identifiers: list[SuspectIdentifierIn] = Field(default_factory=list, max_length=20)
    victim_name: str = Field("", max_length=200)
    victim_phone: str = Field("", max_length=64)
    victim_email: str = Field("", max_length=254)
    consent: bool = Field(..., description="The victim agreed to processing.")
