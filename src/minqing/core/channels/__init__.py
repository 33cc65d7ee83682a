"""Channels that feed the pipeline beyond the front desk: leaders' diaries, reception days and 12345 city-hotline orders."""
