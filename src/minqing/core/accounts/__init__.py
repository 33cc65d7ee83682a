"""Accounts, roles and permissions, and the audit history."""

# The setting that remembers who signed in last on this database (the sign-in dialog fills the
# name in). Kept here, importable as `minqing.core.accounts.LAST_USER_KEY`, because tools
# outside the program (the team's window-at) set it before starting the window.
LAST_USER_KEY = "accounts.last_user"
