"""A cycle's indicator set from an Excel sheet: indicators, their scoring rules and criteria.

One row per criterion; the indicator's own columns (title, kind, score table or
full-score value and unit) are given on its first row and may be repeated on the
others, identically. ``indicator_set_preview`` says what an import would create and
change; ``indicator_set_import`` does it in one transaction, or nothing if any row is
refused (every refused row listed, with its column). Indicators and criteria are matched
by number, so importing the same sheet again changes nothing; what the sheet does not
list is left as it is (never deleted: units may have written against it).

- ``workbook``: the sheet's columns, the kinds as they may be written, the template;
- ``plan``: reading the sheet, every row checked, and what an import would create and
  change;
- ``imports``: ``indicator_set_preview`` and ``indicator_set_import`` (the writes).
"""
