"""sheetplan: plan a social-media quarter in Excel and get priorities, allocation, KPI progress
and a dashboard back in the same workbook."""

__version__ = "0.1.0"
