"""carelens composition root: the command-line interface and the settings that wire packages."""

from __future__ import annotations

__version__ = "0.1.0"
