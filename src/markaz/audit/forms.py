from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from markaz.audit.choices import AuditAction
from markaz.audit.selectors import EventFilters


class EventFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    target_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=64,
        help_text=_("For example intake.report or cases.case"),
    )
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *AuditAction.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> EventFilters:
        if not self.is_valid():
            return EventFilters()
        data = self.cleaned_data
        return EventFilters(
            user=data["user"].strip(),
            target_type=data["target_type"].strip(),
            target_id=data["target_id"].strip(),
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
