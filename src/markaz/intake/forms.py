"""Public and staff forms. Messages are translatable; every field keeps what the person typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
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

    def clean(self, data: object, initial: object = None) -> list[UploadedFile[Any]]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def validate_attachments(
    files: list[UploadedFile[Any]], *, already: int = 0
) -> list[UploadedFile[Any]]:
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
            sniff_content_type(upload.file)  # type: ignore[arg-type]  # an upload's file is binary
        except AttachmentRejected:
            raise forms.ValidationError(
                _("“%(name)s” is not an image or a PDF file.") % {"name": upload.name}
            ) from None
    return files


def _category_choices() -> list[Choice]:
    return [(c.code, c.label) for c in categories()]


def _region_choices() -> list[Choice]:
    regions: list[Choice] = [(r.code, r.name) for r in current_country().regions]
    return [("", "—"), *regions]


def _district_choices() -> list[tuple[str, list[Choice]] | Choice]:
    grouped: list[tuple[str, list[Choice]] | Choice] = [("", "—")]
    for region in current_country().regions:
        districts: list[Choice] = [(d.code, d.name) for d in region.districts]
        grouped.append((region.name, districts))
    return grouped


# (value, label): labels are translated lazily, in the language of the page.
Choice = tuple[str, str | Promise]


def _currency_choices() -> list[Choice]:
    country = current_country()
    return (
        [("", "—")]
        + [(code, code) for code in country.currencies]
        + [(OTHER_CURRENCY, _("Other currency"))]
    )


def _payment_method_choices() -> list[Choice]:
    return [("", "—"), *PaymentMethod.choices]


def _age_band_choices() -> list[Choice]:
    return [("", "—"), *AgeBand.choices]


def _gender_choices() -> list[Choice]:
    return [("", "—"), *Gender.choices]


def _identifier_kind_choices() -> list[Choice]:
    return [("", "—"), *IdentifierKind.choices]


@lru_cache(maxsize=128)
def _choices_built(
    build: Callable[[], list[Any]], country: str, language: str | None
) -> tuple[Any, ...]:
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
        self.fields["attachments"].help_text = _(
            "Images (PNG, JPEG, GIF, WebP) or PDF; up to %(count)s files of %(size)s each."
        ) % {
            "count": settings.MARKAZ_MAX_ATTACHMENTS,
            "size": filesizeformat(settings.MARKAZ_MAX_ATTACHMENT_BYTES),
        }

    def clean_attachments(self) -> list[UploadedFile[Any]]:
        return validate_attachments(self.cleaned_data.get("attachments") or [])

    def clean(self) -> dict[str, Any]:
        """The report's rules (``validation.report_draft_check``, the API's and the
        import's too) over what the fields parsed; their messages go beside the fields."""
        data = super().clean() or {}
        currency = str(data.get("loss_currency") or "")
        other = currency == OTHER_CURRENCY
        if other:
            # "Other" with nothing typed is a code the rules do not know.
            currency = str(data.get("loss_currency_other") or " ")
        try:
            self.draft = validation.report_draft_check(self._input(data, currency))
        except validation.DraftRefused as refused:
            for name, messages in refused.errors.items():
                field = "loss_currency_other" if name == "loss_currency" and other else name
                if field not in self.errors:  # a field's own refusal says why already
                    self.add_error(field, messages)
        return data

    def _input(self, data: dict[str, Any], currency: str) -> validation.ReportInput:
        return validation.ReportInput(
            category=data.get("category") or "",
            narrative=data.get("narrative") or "",
            incident_date=data.get("incident_date"),
            incident_time=data.get("incident_time"),
            incident_time_approximate=bool(data.get("incident_time_approximate")),
            region=data.get("region") or "",
            district=data.get("district") or "",
            loss_amount=data.get("loss_amount"),
            loss_currency=currency,
            payment_method=data.get("payment_method") or "",
            victim_name=data.get("victim_name") or "",
            victim_phone=data.get("victim_phone") or "",
            victim_email=data.get("victim_email") or "",
            victim_age_band=data.get("victim_age_band") or "",
            victim_gender=data.get("victim_gender") or "",
            consent=bool(data.get("consent")),
        )

    def to_draft(self, *, language: str, identifiers: list[tuple[str, str]]) -> ReportDraft:
        """The checked draft (after ``is_valid()``), in ``language``, with the suspect's
        identifiers from the form's rows."""
        return replace(
            self.draft,
            language=language if language in ReportLanguage.values else settings.LANGUAGE_CODE,
            suspect_identifiers=identifiers,
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
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


def identifiers_from(formset: forms.BaseFormSet[SuspectIdentifierForm]) -> list[tuple[str, str]]:
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
        choice_fields = {
            name: field
            for name, field in self.fields.items()
            if isinstance(field, forms.ChoiceField)
        }
        choice_fields["category"].choices = [("", "—"), *_category_choices()]
        choice_fields["region"].choices = _region_choices()
