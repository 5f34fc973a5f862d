"""Settings from the environment: generated secret key, SQLite in WAL mode, DATABASE_URL."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from markaz.core.keys import instance_secret

SRC = Path(__file__).resolve().parents[1] / "src"


def test_secret_key_is_generated_into_the_data_dir_with_mode_0600(tmp_path):
    secret = instance_secret(tmp_path, "secret_key")
    path = tmp_path / "keys" / "secret_key"
    assert path.read_text(encoding="ascii") == secret
    assert len(secret) >= 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) & 0o077 == 0


def test_secret_key_is_reused_on_the_next_call(tmp_path):
    assert instance_secret(tmp_path, "secret_key") == instance_secret(tmp_path, "secret_key")


def test_secret_is_read_once_per_process(tmp_path):
    first = instance_secret(tmp_path, "card_hmac_key")
    (tmp_path / "keys" / "card_hmac_key").write_text("0" * 64, encoding="ascii")
    assert instance_secret(tmp_path, "card_hmac_key") == first


def test_a_data_dir_given_as_text_or_path_holds_the_same_secret(tmp_path):
    assert instance_secret(str(tmp_path), "card_hmac_key") == instance_secret(
        tmp_path, "card_hmac_key"
    )
    assert (tmp_path / "keys" / "card_hmac_key").read_text(encoding="ascii") == instance_secret(
        str(tmp_path), "card_hmac_key"
    )


def test_each_secret_name_gets_its_own_value(tmp_path):
    assert instance_secret(tmp_path, "secret_key") != instance_secret(tmp_path, "other")


def settings_in_subprocess(tmp_path: Path, **env: str) -> dict[str, object]:
    """Import the settings in a fresh interpreter with `env` and return a few of them."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'ENGINE': db['ENGINE'], 'NAME': str(db['NAME']), "
        "'HOST': db.get('HOST', ''), 'PORT': db.get('PORT', ''), 'USER': db.get('USER', ''), "
        "'OPTIONS': db.get('OPTIONS', {}), 'SECRET_KEY': settings.SECRET_KEY, "
        "'DEBUG': settings.DEBUG, 'TIME_ZONE': settings.TIME_ZONE}))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MARKAZ_", "DATABASE_URL"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "markaz.settings",
            "MARKAZ_DATA_DIR": str(tmp_path / "data"),
            "PYTHONPATH": str(SRC),
            **env,
        }
    )
    result = subprocess.run(  # noqa: S603  (our own interpreter, fixed code)
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, dict[str, object]]:
    """Settings with nothing configured but the data directory."""
    tmp_path = tmp_path_factory.mktemp("plain")
    return tmp_path, settings_in_subprocess(tmp_path)


@pytest.fixture(scope="module")
def configured(tmp_path_factory) -> tuple[Path, dict[str, object]]:
    """Settings with a PostgreSQL URL, a secret key and a time zone in the environment."""
    tmp_path = tmp_path_factory.mktemp("configured")
    return tmp_path, settings_in_subprocess(
        tmp_path,
        DATABASE_URL="postgres://markaz:s3cret@db.internal:6543/markaz_prod",
        MARKAZ_SECRET_KEY="from-the-environment",
        MARKAZ_TIME_ZONE="Asia/Almaty",
    )


def test_database_url_gives_postgresql_settings(configured):
    _tmp_path, found = configured
    assert found["ENGINE"] == "django.db.backends.postgresql"
    assert (found["NAME"], found["HOST"], found["PORT"], found["USER"]) == (
        "markaz_prod",
        "db.internal",
        6543,
        "markaz",
    )


def test_without_database_url_sqlite_lives_in_the_data_dir(plain):
    tmp_path, found = plain
    assert found["ENGINE"] == "django.db.backends.sqlite3"
    assert found["NAME"] == str(tmp_path / "data" / "markaz.sqlite3")
    assert "journal_mode=WAL" in found["OPTIONS"]["init_command"]


def test_without_secret_key_in_the_environment_one_is_generated(plain):
    tmp_path, found = plain
    key_file = tmp_path / "data" / "keys" / "secret_key"
    assert found["SECRET_KEY"] == key_file.read_text(encoding="ascii")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins(configured):
    tmp_path, found = configured
    assert found["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "data" / "keys" / "secret_key").exists()


def test_debug_is_off_unless_asked_for(plain):
    assert plain[1]["DEBUG"] is False


def test_time_zone_comes_from_the_environment(configured):
    assert configured[1]["TIME_ZONE"] == "Asia/Almaty"


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip(f"WAL is SQLite's; this run is on {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    if mode == "memory":
        pytest.skip("pytest-django's SQLite test database is in memory, where WAL cannot be")
    assert mode == "wal"


def test_sqlite_init_command_turns_on_wal_for_a_file_database(tmp_path):
    """The test database is in memory; run the settings' own init command on a file."""
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses PostgreSQL (DATABASE_URL)")
    database = sqlite3.connect(tmp_path / "markaz.sqlite3")
    try:
        database.executescript(options["init_command"])
        assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert database.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    finally:
        database.close()
