"""Errors of the synthetic data generator."""

from __future__ import annotations


class SyntheticDataError(Exception):
    """A generation request that cannot be met (bad argument or unusable output folder)."""
