"""Residents and households (居民户籍): the tree, statuses, and the ledger's Excel import and export."""
