"""Where the data lives: opening the database, schema versions and migrations, backups, transfer between SQLite and PostgreSQL, noticing other PCs' changes, health checks."""
