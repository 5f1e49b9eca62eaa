"""Item analysis: loading first-attempt responses and computing statistics (prep.core.item_stats)."""
