"""Accounts, roles and permissions, and the audit history."""
