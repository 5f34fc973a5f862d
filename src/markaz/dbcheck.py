"""`python -m markaz.dbcheck URL`: exit 0 when the PostgreSQL server at URL answers."""

from __future__ import annotations

import sys

import psycopg


def main(url: str) -> int:
    # Ask the server's maintenance database: the named one may not exist yet.
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg.connect(admin_url, connect_timeout=3).close()
    except psycopg.Error as error:
        print(f"PostgreSQL not reachable: {error}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
