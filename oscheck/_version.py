"""The version of oscheck (its own module so that every stage can read it)."""

__version__ = "0.1.0"
