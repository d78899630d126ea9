"""Guichet: the core of the residence-permit handover counter (no Qt here)."""

__version__ = "0.1.0"
