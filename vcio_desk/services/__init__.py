"""Use cases: each module takes a Store and returns plain dataclasses."""
