"""The server's own database: tables, engine, transactions and migrations."""
