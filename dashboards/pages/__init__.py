"""Dash Pages: one module per page, registered with the roles that may see it."""
