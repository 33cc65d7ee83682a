"""民情流水线 — the resident-request pipeline of a community office."""

__version__ = "0.1.0"
