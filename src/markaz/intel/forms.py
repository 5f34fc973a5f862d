from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from markaz.intel.warninglist import ENTRY_KINDS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Identifier"),
        max_length=300,
        help_text=_("A phone, e-mail, link, wallet, card number or handle, in any format."),
    )


class WarningListForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, k) for k in ENTRY_KINDS])
    value = forms.CharField(label=_("Value"), max_length=300)
    note = forms.CharField(label=_("Why"), max_length=300, required=False)
