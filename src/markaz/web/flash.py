"""Messages shown after a staff action: what was refused, or that it was saved."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _


def flash_errors(request: HttpRequest, texts: Iterable[str]) -> None:
    for text in texts:
        messages.error(request, text)


def flash_form_errors(request: HttpRequest, form: forms.Form) -> None:
    # An ErrorList yields its messages as text; django-stubs type its items as the errors
    # themselves (str, lazy str or ValidationError), so str() states what they are.
    flash_errors(request, (str(text) for errors in form.errors.values() for text in errors))


def flash_form_outcome(request: HttpRequest, form: forms.Form) -> None:
    """ "Saved." for a valid form, else each of its error messages."""
    if form.is_valid():
        messages.success(request, _("Saved."))
    else:
        flash_form_errors(request, form)
