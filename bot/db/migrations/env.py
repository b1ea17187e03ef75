"""Alembic environment for the gateway's stores: run by `bot.db.base.migrate`, which hands over an open connection
and the store's own version table (no alembic.ini)."""

from __future__ import annotations

from alembic import context


def run_migrations() -> None:
    """Migrate the connection `migrate()` passed in."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        version_table=context.config.attributes["version_table"],
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
