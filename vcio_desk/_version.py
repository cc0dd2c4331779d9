"""The release version, read by packaging (pyproject: dynamic version) and by ``--version``.

A constant rather than ``importlib.metadata``: that lookup costs ~30 ms at every start.
"""

__version__ = "0.1.0"
