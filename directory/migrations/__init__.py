"""Alembic migrations for the directory database."""
