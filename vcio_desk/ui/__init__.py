"""The desktop interface: the only layer that imports PySide6."""
