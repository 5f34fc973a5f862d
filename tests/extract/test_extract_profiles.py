"""The cheap test before a link is parsed again for a profile never hides a profile."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from markaz.extract import InvalidIndicator, social, web


@pytest.mark.parametrize(
    "raw",
    [
        "https://t.me/bonus_tj",
        "https://www.instagram.com/ivan.petrov/",
        "https://user@m.facebook.com:8443/ivan.p",
        "https://wa.me/992935551234",
        "https://example.com/t.me/bonus",
        "https://bonus-pay.top/login?next=vk.com",
        "https://tiktok.com.evil.tj/@name",
    ],
)
def test_the_cheap_profile_test_never_hides_a_profile(raw):
    value = web.normalize_url(raw)
    if social.profile_from_url(value, region="TJ") is not None:
        assert social.may_be_profile(value)


def test_links_off_the_networks_skip_the_second_parse():
    assert not social.may_be_profile("https://bonus-pay.top/t.me/x")
    assert social.may_be_profile("https://t.me/x")


hosts = st.sampled_from(
    ["t.me", "www.t.me", "instagram.com", "m.vk.com", "vk.ru", "ok.ru", "wa.me", "fb.com"]
    + ["example.com", "bonus-pay.top", "t.me.evil.tj", "xt.me", "tiktok.com"]
)
paths = st.sampled_from(
    ["", "/", "/name", "/s/name", "/@name", "/profile.php?id=12", "/send?phone=992935551234"]
)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["https://", "http://", "", "hxxps://"]), hosts, paths)
def test_no_profile_is_missed(scheme, host, path):
    try:
        value = web.normalize_url(scheme + host + path)
    except InvalidIndicator:
        return
    if social.profile_from_url(value, region="TJ") is not None:
        assert social.may_be_profile(value)
