"""Errors of the cost model."""

from __future__ import annotations


class CostModelError(Exception):
    """Base of every error the cost model raises."""


class AssumptionError(CostModelError, ValueError):
    """An assumption name or value that cannot be used (the message says why, for the user)."""


class AppraisalError(CostModelError, ValueError):
    """Cost lines, benefits or settings that cannot be appraised (the message says why)."""
