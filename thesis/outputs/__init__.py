"""Outputs: the JSON snapshot, the scorecard as data and text, export tables, atomic writes."""
