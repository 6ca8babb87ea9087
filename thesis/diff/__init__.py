"""Diff: what changed between two snapshots, why the score moved, and word-level redlines."""
