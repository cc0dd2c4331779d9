"""Qt table models: thin adapters over plain rows that services return."""
