"""Public and staff forms. Messages are translatable; every field keeps what the person typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from markaz.core.country import current_country
from markaz.intake import validation
from markaz.intake.attachments import AttachmentRejected, sniff_content_type
from markaz.intake.choices import (
    AgeBand,
    Channel,
    Gender,
    IdentifierKind,
    PaymentMethod,
    ReportLanguage,
    ReportStatus,
)
from markaz.intake.services import IncomingAttachment, ReportDraft
from markaz.intake.taxonomy import categories

OTHER_CURRENCY = "other"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def validate_attachments(files: list[UploadedFile], *, already: int = 0) -> list[UploadedFile]:
    """Count, size and content checks for victims' files; `already` counts files stored before."""
    if already + len(files) > settings.MARKAZ_MAX_ATTACHMENTS:
        raise forms.ValidationError(
            _("Attach at most %(count)s files.") % {"count": settings.MARKAZ_MAX_ATTACHMENTS}
        )
    for upload in files:
        if upload.size is not None and upload.size > settings.MARKAZ_MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(
                _("“%(name)s” is larger than %(size)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(settings.MARKAZ_MAX_ATTACHMENT_BYTES),
                }
            )
        try:
            sniff_content_type(upload.file)
        except AttachmentRejected:
            raise forms.ValidationError(
                _("“%(name)s” is not an image or a PDF file.") % {"name": upload.name}
            ) from None
    return files


def _category_choices() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in categories()]


def _region_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(r.code, r.name) for r in current_country().regions]


def _district_choices() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    grouped: list[tuple[str, list[tuple[str, str]]] | tuple[str, str]] = [("", "—")]
    for region in current_country().regions:
        grouped.append((region.name, [(d.code, d.name) for d in region.districts]))
    return grouped


def _currency_choices() -> list[tuple[str, str]]:
    country = current_country()
    return (
        [("", "—")]
        + [(code, code) for code in country.currencies]
        + [(OTHER_CURRENCY, _("Other currency"))]
    )


def _payment_method_choices() -> list[tuple[str, str]]:
    return [("", "—"), *PaymentMethod.choices]


def _age_band_choices() -> list[tuple[str, str]]:
    return [("", "—"), *AgeBand.choices]


def _gender_choices() -> list[tuple[str, str]]:
    return [("", "—"), *Gender.choices]


def _identifier_kind_choices() -> list[tuple[str, str]]:
    return [("", "—"), *IdentifierKind.choices]


@lru_cache(maxsize=128)
def _choices_built(build: Callable[[], list[Any]], country: str, language: str | None) -> tuple:
    return tuple(build())


class SharedChoices(BaseChoiceIterator):
    """Choices built once per (country, language) and shared by every form and its copies.

    Labels come from the country's and the taxonomy's data or from translations, so they
    depend on both; building (and deep-copying) them per form instance was most of the
    cost of making a form.
    """

    def __init__(self, build: Callable[[], list[Any]]) -> None:
        self.build = build

    def __iter__(self) -> Any:
        return iter(_choices_built(self.build, settings.MARKAZ_COUNTRY, get_language()))

    def __deepcopy__(self, memo: dict[int, object]) -> SharedChoices:
        return self  # holds no state of its own: every form may share it


class ReportForm(forms.Form):
    """The public report form (and the staff form for phone and walk-in reports)."""

    category = forms.ChoiceField(
        label=_("What happened?"),
        widget=forms.RadioSelect,
        choices=SharedChoices(_category_choices),
    )
    narrative = forms.CharField(
        label=_("Tell us what happened"),
        help_text=_(
            "Who contacted you, how, what they asked for, what you did. Write in any language."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    incident_date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    incident_time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    incident_time_approximate = forms.BooleanField(
        label=_("The date or time is approximate"), required=False
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=SharedChoices(_region_choices)
    )
    district = forms.ChoiceField(
        label=_("District or city"), required=False, choices=SharedChoices(_district_choices)
    )
    loss_amount = forms.DecimalField(
        label=_("Amount lost"),
        required=False,
        max_digits=validation.LOSS_DIGITS,
        decimal_places=validation.LOSS_DECIMAL_PLACES,
        localize=False,
    )
    loss_currency = forms.ChoiceField(
        label=_("Currency"), required=False, choices=SharedChoices(_currency_choices)
    )
    loss_currency_other = forms.CharField(
        label=_("Other currency (three-letter code, e.g. KZT)"), required=False, max_length=3
    )
    payment_method = forms.ChoiceField(
        label=_("How did the money leave?"),
        required=False,
        choices=SharedChoices(_payment_method_choices),
    )
    victim_name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    victim_phone = forms.CharField(label=_("Your phone number"), required=False, max_length=64)
    victim_email = forms.EmailField(label=_("Your e-mail"), required=False, max_length=254)
    victim_age_band = forms.ChoiceField(
        label=_("Your age"), required=False, choices=SharedChoices(_age_band_choices)
    )
    victim_gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=SharedChoices(_gender_choices)
    )
    attachments = MultipleFileField(
        label=_("Screenshots or documents"),
        required=False,
        help_text=_("Images (PNG, JPEG, GIF, WebP) or PDF."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the centre processes the data in this report to investigate it, as the law on personal data allows."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["narrative"].validators.append(validation.narrative_length_check)
        self.fields["attachments"].help_text = _(
            "Images (PNG, JPEG, GIF, WebP) or PDF; up to %(count)s files of %(size)s each."
        ) % {
            "count": settings.MARKAZ_MAX_ATTACHMENTS,
            "size": filesizeformat(settings.MARKAZ_MAX_ATTACHMENT_BYTES),
        }

    # The field rules live in ``validation`` (shared with the API and the import).
    def clean_incident_date(self) -> object:
        return validation.incident_date_check(self.cleaned_data.get("incident_date"))

    def clean_loss_amount(self) -> Decimal | None:
        return validation.loss_amount_check(self.cleaned_data.get("loss_amount"))

    def clean_victim_phone(self) -> str:
        return validation.victim_phone_check(self.cleaned_data.get("victim_phone", ""))

    def clean_attachments(self) -> list[UploadedFile]:
        return validate_attachments(self.cleaned_data.get("attachments") or [])

    def clean(self) -> dict[str, object]:
        data = super().clean()
        self._clean_currency(data)
        self._clean_place(data)
        self._clean_incident_time(data)
        return data

    def _clean_currency(self, data: dict[str, object]) -> None:
        currency = str(data.get("loss_currency") or "")
        if currency == OTHER_CURRENCY:
            try:
                currency = validation.loss_currency_check(
                    str(data.get("loss_currency_other") or "")
                )
            except forms.ValidationError as error:
                self.add_error("loss_currency_other", error)
                return
        data["loss_currency"] = currency
        try:
            validation.currency_needed_check(data.get("loss_amount"), currency)  # type: ignore[arg-type]
        except forms.ValidationError as error:
            self.add_error("loss_currency", error)

    def _clean_place(self, data: dict[str, object]) -> None:
        if "district" not in data or "region" not in data:
            return  # a field already refused: its own message says why
        try:
            data["region"] = validation.place_check(str(data["region"]), str(data["district"]))
        except forms.ValidationError as error:
            self.add_error("district", error)

    def _clean_incident_time(self, data: dict[str, object]) -> None:
        moment = data.get("incident_time")
        try:
            validation.incident_time_check(data.get("incident_date"), moment)
        except forms.ValidationError as error:
            self.add_error("incident_time" if data.get("incident_date") else "incident_date", error)

    def incident_at(self) -> datetime | None:
        day = self.cleaned_data.get("incident_date")
        if not day:
            return None
        moment = self.cleaned_data.get("incident_time") or time(12, 0)
        return timezone.make_aware(datetime.combine(day, moment))

    def to_draft(self, *, language: str, identifiers: list[tuple[str, str]]) -> ReportDraft:
        data = self.cleaned_data
        approximate = bool(data.get("incident_time_approximate")) or (
            bool(data.get("incident_date")) and not data.get("incident_time")
        )
        return ReportDraft(
            category=data["category"],
            narrative=data["narrative"],
            language=language if language in ReportLanguage.values else settings.LANGUAGE_CODE,
            incident_at=self.incident_at(),
            incident_time_approximate=approximate,
            region=data.get("region") or "",
            district=data.get("district") or "",
            loss_amount=data.get("loss_amount"),
            loss_currency=data.get("loss_currency") or "",
            payment_method=data.get("payment_method") or "",
            suspect_identifiers=identifiers,
            victim_name=data.get("victim_name", ""),
            victim_phone=data.get("victim_phone", ""),
            victim_email=data.get("victim_email", ""),
            victim_age_band=data.get("victim_age_band", ""),
            victim_gender=data.get("victim_gender", ""),
            consent=bool(data.get("consent")),
        )

    def incoming_attachments(self) -> list[IncomingAttachment]:
        return [
            IncomingAttachment(name=upload.name or "file", stream=upload.file)
            for upload in self.cleaned_data.get("attachments") or []
        ]


class SuspectIdentifierForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=SharedChoices(_identifier_kind_choices), required=False
    )
    value = forms.CharField(label=_("Value"), required=False, max_length=300)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("value") and not data.get("kind"):
            self.add_error("kind", _("Choose what kind of identifier this is."))
        return data


MAX_IDENTIFIERS = 20

SuspectIdentifierFormSet = forms.formset_factory(
    SuspectIdentifierForm,
    extra=3,
    max_num=MAX_IDENTIFIERS,
    validate_max=True,
    absolute_max=MAX_IDENTIFIERS,
)


def identifiers_from(formset: forms.BaseFormSet) -> list[tuple[str, str]]:
    return [
        (form.cleaned_data["kind"], form.cleaned_data["value"].strip())
        for form in formset.forms
        if form.cleaned_data.get("value", "").strip()
    ]


class StatusLookupForm(forms.Form):
    reference = forms.CharField(label=_("Reference number"), max_length=32)
    status_code = forms.CharField(label=_("Secret code"), max_length=32)


class StaffReportForm(ReportForm):
    """Intake officers enter reports taken by phone or at a desk."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Channel.PHONE.value, Channel.PHONE.label),
            (Channel.WALK_IN.value, Channel.WALK_IN.label),
        ],
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=ReportLanguage.choices)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ReportStatus.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class DuplicateForm(forms.Form):
    original = forms.CharField(label=_("Reference of the original report"), max_length=32)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the victim"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Search narratives"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *ReportStatus.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", "—"), *ReportLanguage.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    loss_min = forms.DecimalField(
        label=_("Loss from"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    loss_max = forms.DecimalField(
        label=_("Loss to"), required=False, min_value=0, max_digits=16, decimal_places=2
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].choices = [("", "—"), *_category_choices()]
        self.fields["region"].choices = _region_choices()
