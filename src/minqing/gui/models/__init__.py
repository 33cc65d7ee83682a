"""Item models over core queries: they hold ids or one page of rows, never the whole table."""
