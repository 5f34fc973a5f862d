from collections.abc import Mapping, Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from markaz.evidence.choices import RECORDABLE_KINDS, CustodyKind
from markaz.evidence.models import EvidenceItem
from markaz.intake.models import Attachment


def _choices_set(form: forms.Form, name: str, choices: list[tuple[int, str]]) -> None:
    """Give a form's choice field this request's choices (its declared list is empty)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    field.choices = choices


class CircumstancesForm(forms.Form):
    location = forms.CharField(label=_("Where it is kept"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=500, required=False)
    authority = forms.CharField(
        label=_("Authority"),
        max_length=500,
        required=False,
        help_text=_("The order, warrant or decision this is done under."),
    )


class FileEvidenceForm(CircumstancesForm):
    """The fields sent with an upload; the file itself is read by the upload handler."""

    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentEvidenceForm(CircumstancesForm):
    attachment = forms.TypedChoiceField(label=_("Victim's attachment"), coerce=int)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        data: Mapping[str, object] | None = None,
        *,
        attachments: Sequence[Attachment] = (),
        auto_id: str = "id_%s",
    ) -> None:
        super().__init__(data, auto_id=auto_id)
        _choices_set(
            self,
            "attachment",
            [(a.pk, f"{a.report.reference} — {a.original_name}") for a in attachments],
        )


class PhysicalEvidenceForm(CircumstancesForm):
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    seal_number = forms.CharField(label=_("Seal number"), max_length=100, required=False)


class CustodyForm(CircumstancesForm):
    kind = forms.ChoiceField(
        label=_("What happens"),
        choices=[(k.value, k.label) for k in RECORDABLE_KINDS],
        initial=CustodyKind.TRANSFERRED,
    )
    to_party = forms.CharField(
        label=_("To whom"),
        max_length=200,
        required=False,
        help_text=_("For a transfer or a return: the person or body that receives the item."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DownloadForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=500)


class PackageForm(forms.Form):
    items = forms.TypedMultipleChoiceField(label=_("Items"), coerce=int)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    authority = forms.CharField(label=_("Authority"), max_length=500, required=False)

    def __init__(
        self,
        data: Mapping[str, object] | None = None,
        *,
        items: Sequence[EvidenceItem] = (),
        auto_id: str = "id_%s",
    ) -> None:
        super().__init__(data, auto_id=auto_id)
        _choices_set(self, "items", [(i.pk, f"{i.number} — {i.description[:60]}") for i in items])
