"""A realistic, deterministic demo workspace for trying the app and for the benchmarks."""

from .build import DemoReport, build_demo

__all__ = ["DemoReport", "build_demo"]
