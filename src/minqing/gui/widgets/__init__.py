"""Widgets and helpers shared by several panels and dialogs."""
