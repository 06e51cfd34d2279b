"""Cost model: pure ROI functions over the five DSCR cost categories (issue 6)."""
