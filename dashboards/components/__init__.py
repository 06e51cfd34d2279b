"""Reusable layout pieces shared by the shell and the pages."""
