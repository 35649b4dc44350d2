"""Pure computations over the plan: plain records and an explicit as-of date in, results out.

Nothing in this package reads files, asks for today's date, or imports an Excel library,
Click or pandas (tests/test_imports.py enforces it).
"""
