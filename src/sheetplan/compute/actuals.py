"""The log-cleaning rule, for the engine (it lives in sheetplan.dedupe so `check` shares it)."""

from ..dedupe import DedupedActuals, channel_key, dedupe_actuals

__all__ = ["DedupedActuals", "channel_key", "dedupe_actuals"]
