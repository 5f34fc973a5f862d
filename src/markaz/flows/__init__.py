"""Acts that span apps, each one function owning its transaction.

A report is stored (intake), its indicators indexed and linked into campaigns (intel),
all or nothing: ``submission``. A file of reports is read, validated and submitted in
batches: ``imports``. The web pages, the API, the commands and the tests call these;
the apps below never call up into them.
"""
