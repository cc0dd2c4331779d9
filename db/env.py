"""Alembic environment: always run in-process with a connection handed over by the store."""

from __future__ import annotations

from alembic import context

from vcio_desk.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("vcio_desk migrations run through vcio_desk.store.migrate only")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
