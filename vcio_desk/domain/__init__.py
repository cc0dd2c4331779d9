"""Pure rules: rhythms and slots, matching and flags, alignment score, fiscal quarters.

Nothing here performs I/O or imports SQLAlchemy, Qt or reportlab.
"""
