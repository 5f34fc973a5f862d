"""The attachment size limit is shown in a unit that fits it, in the page's language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation

from tests.intake.test_public_form import english, field_block, png_bytes, post

__all__ = ["english"]  # the fixture

pytestmark = pytest.mark.django_db


def test_limit_under_a_megabyte_is_shown_in_kilobytes(english, settings):
    settings.MARKAZ_MAX_ATTACHMENT_BYTES = 500 * 1024
    html = english.get(reverse("intake:report_new")).content.decode()
    block = field_block(html, "attachments")
    assert "of 500.0\xa0KB each" in block
    assert "0 MB" not in block


def test_too_large_a_file_names_the_limit_in_a_fitting_unit(english, settings):
    settings.MARKAZ_MAX_ATTACHMENT_BYTES = 64
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * 100, "image/png")
    html = post(english, attachments=[big]).content.decode()
    assert "“big.png” is larger than 64\xa0bytes." in field_block(html, "attachments")


@pytest.mark.parametrize("language", ["tg", "ru"])
def test_file_sizes_in_bytes_are_translated(language):
    with translation.override(language):
        assert "bytes" not in filesizeformat(300)
        assert "byte" not in filesizeformat(1)
