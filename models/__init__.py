"""Models: statistics and machine learning over warehouse frames (later issues)."""
