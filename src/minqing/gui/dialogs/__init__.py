"""Dialogs that ask for exactly what one change needs, and the messages that explain refusals."""
