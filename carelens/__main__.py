"""`python -m carelens` runs the same app as the `carelens` command."""

from __future__ import annotations

from carelens.cli import main

if __name__ == "__main__":
    main()
