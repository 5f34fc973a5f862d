"""Staff forms for cases. Validation messages are translatable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from markaz.cases.articles import articles
from markaz.cases.choices import CasePriority, CaseStatus, MemberRole, TaskStatus
from markaz.cases.markdown import MAX_NOTE_CHARS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What a bound form is given: request.POST, or a dict in tests (Django's own type for it).
FormData = Mapping[str, Any]


def _article_choices() -> list[tuple[str, str]]:
    return [(a.code, a.label) for a in articles()]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *CaseStatus.choices], required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", "—"), *CasePriority.choices], required=False
    )
    lead = forms.CharField(label=_("Lead investigator"), max_length=150, required=False)
    q = forms.CharField(label=_("Number or title"), max_length=200, required=False)


class CaseOpenForm(forms.Form):
    reports = forms.CharField(widget=forms.MultipleHiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=CasePriority.choices, initial=CasePriority.NORMAL
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    articles = forms.MultipleChoiceField(
        label=_("Articles of the criminal code"),
        choices=_article_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CaseEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=CasePriority.choices)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ArticlesForm(forms.Form):
    articles = forms.MultipleChoiceField(
        label=_("Articles of the criminal code"),
        choices=_article_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


def _staff_field(
    label: StrOrPromise, choices: QuerySet[User] | None, *, required: bool = True
) -> forms.ModelChoiceField[User]:
    """A member of staff chosen by username among ``choices`` (none when not given)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=User.objects.none() if choices is None else choices,
        required=required,
        to_field_name="username",
    )


class AssignForm(forms.Form):
    def __init__(
        self,
        data: FormData | None = None,
        *,
        candidates: QuerySet[User] | None = None,
        auto_id: str = "id_%s",
    ) -> None:
        super().__init__(data, auto_id=auto_id)
        self.fields["investigator"] = _staff_field(_("Lead investigator"), candidates)


class MemberAddForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role in the case"),
        choices=[(r.value, r.label) for r in MemberRole if r != MemberRole.LEAD],
    )

    def __init__(
        self,
        data: FormData | None = None,
        *,
        candidates: QuerySet[User] | None = None,
        auto_id: str = "id_%s",
    ) -> None:
        super().__init__(data, auto_id=auto_id)
        self.fields["user"] = _staff_field(_("Staff member"), candidates)
        self.order_fields(["user", "role"])


class LinkReportForm(forms.Form):
    reference = forms.CharField(label=_("Report reference"), max_length=32)


class UnlinkReportForm(forms.Form):
    reference = forms.CharField(max_length=32, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class CampaignLinkForm(forms.Form):
    """A campaign by its reference (CMP-000012) or its number (12)."""

    campaign = forms.CharField(label=_("Campaign reference"), max_length=16)

    def clean_campaign(self) -> int:
        text = self.cleaned_data["campaign"].strip().upper().removeprefix("CMP-")
        if not text.isdigit():
            raise forms.ValidationError(
                _("Give a campaign reference such as %(example)s."),
                params={"example": "CMP-000012"},
            )
        return int(text)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        data: FormData | None = None,
        *,
        members: QuerySet[User] | None = None,
        auto_id: str = "id_%s",
    ) -> None:
        super().__init__(data, auto_id=auto_id)
        self.fields["assignee"] = _staff_field(_("Assignee"), members, required=False)


class TaskUpdateForm(forms.Form):
    task = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_NOTE_CHARS,
        help_text=_("Markdown: **bold**, *italic*, lists, links. HTML is shown as text."),
    )
