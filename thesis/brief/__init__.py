"""Build the brief: everything a brief shows, assembled into one value for the templates."""
