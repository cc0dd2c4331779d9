"""vcio_desk: the offline desk where an MSP's vCIO plans, measures and prepares client meetings."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("vcio-desk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
