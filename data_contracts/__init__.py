"""Shared vocabulary and data contracts; imports no other project package."""

from __future__ import annotations

from data_contracts import enums

__all__ = ["enums"]
