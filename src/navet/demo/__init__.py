"""Demo data for trying Navet out: real networks and organisations, fictional people."""
