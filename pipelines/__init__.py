"""Nightly pipelines: the ODE-1 load, section 5 inputs and synthetic data."""
