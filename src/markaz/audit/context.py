"""Where the current action comes from (an IP for web requests, "cli" for commands).

Services never read the request; the middleware and the command runner set this, and
`audit_record` reads it, so every audit event carries its source without threading the
request through business code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_source: ContextVar[str] = ContextVar("markaz_request_source", default="system")


@contextmanager
def request_source(*, ip: str) -> Iterator[None]:
    token = _source.set(ip)
    try:
        yield
    finally:
        _source.reset(token)


def current_source() -> str:
    return _source.get()
