"""The package editor: a refresh edits the user's .xlsx, it never rebuilds it.

A workbook is a zip of XML parts. sheetplan owns its report sheets (Dashboard, Allocation,
Breakdown, Trend, Data Checks) and its computed columns on Goals, KPIs and Tactics; every other
part goes into the new file as the original compressed bytes. The shared parts (workbook,
styles, relationships, content types) are edited so that they only gain what sheetplan adds,
and `verify` proves both before the safe save puts the result in place.
"""
