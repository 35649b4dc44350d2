"""`sheetplan import`: platform analytics exports into the Actuals log.

exports (a file → its platform, layout and numbers) → mapping (numbers → Actuals rows against
the log, via the Sources sheet) → package.append (the rows written into the user's workbook).
Nothing here imports Click.
"""
