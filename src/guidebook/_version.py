"""The version of guidebook (one place; the wheel and the batch manifest read it)."""

__version__ = "0.1.0"
