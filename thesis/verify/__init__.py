"""Verify: every quote against its archived source, every number against its quote."""
