"""vcio_desk: the offline desk where an MSP's vCIO plans, measures and prepares client meetings."""

from ._version import __version__

__all__ = ["__version__"]
