"""The top layer: web entry points. Pages, their URLs and the JSON API of every app.

A page or an API call parses the request, calls the services, selectors and flows of
the layers below and renders what they return. It holds no business rule: those live in
the apps (``markaz.intake``, ``markaz.cases``, ...) and in ``markaz.flows``, where the
import, the demo and the tests reach them without a request. Templates stay with their
app (``intake/templates/intake/...``), found by name.
"""
