"""Persistence: the workspace store (SQLAlchemy), its models, migrations, backup and checks."""
