"""The bottom layer: what every app needs and no app owns.

Numbering (report references, case numbers), the country's data, the instance's keys,
bulk database helpers and the collector's settings for bulk work. It imports no other
part of Markaz.
"""
