"""Operations: install checks, backups and restores, health and metrics, background jobs,
moving a SQLite pilot onto PostgreSQL. Sits above every domain app (it counts all their
tables) and below the configuration."""
