"""Reports a user downloads from the dashboard: the business case (HTML and PDF)."""
