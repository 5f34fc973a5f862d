import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_public_report_form_renders_in_tajik_by_default(client):
    response = client.get(reverse("intake:report_new"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "tg"
    assert 'lang="tg"' in response.content.decode()
