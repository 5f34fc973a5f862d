"""The `markaz` command: Django's management commands with Markaz's names and defaults.

markaz serve [ADDR:PORT]    serve the site (default 127.0.0.1:8000)
markaz demo                 migrate, create demo staff and reports
markaz verify-package FILE  check a court package offline (no database, no settings)
markaz migrate | createsuperuser | createuser | ...   any management command
"""

from __future__ import annotations

import os
import sys

ALIASES = {"serve": "runserver"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "markaz.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "verify-package":
        # Offline and without Django: a court's machine has the ZIP, not our database.
        from markaz.evidence.packagecheck import main as verify_package

        sys.exit(verify_package(args[1:]))
    if args and args[0] in ALIASES:
        command = ALIASES[args[0]]
        rest = args[1:]
        if command == "runserver":
            # Serve static files without DEBUG, so the built-in server never shows tracebacks.
            rest = ["--insecure", *rest]
            if not any(not a.startswith("-") for a in rest):
                rest.append("127.0.0.1:8000")
        args = [command, *rest]

    from django.core.management import execute_from_command_line

    from markaz.audit.context import request_source

    with request_source(ip="cli"):
        execute_from_command_line(["markaz", *args])


if __name__ == "__main__":
    main()
