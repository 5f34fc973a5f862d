"""The demo: synthetic reports for trying Markaz and for the benchmarks, and `markaz demo`.

The generator (``generator``, ``identifiers``, ``people``, ``words``, ``stories``,
``proportions``) imports nothing from Django, so that a benchmark can write a million
rows without a database. What victims write lives in ``data/*.json`` for translators;
the modules read and check it once, on first import. ``management/commands/demo.py``
is the Django side: accounts, tokens, storing the reports, triage.
"""
