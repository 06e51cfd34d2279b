"""Dash web app: pages, figures and the read-only query layer."""
