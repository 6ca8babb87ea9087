"""Render: the Jinja environment and templates, SVG charts, HTML and PDF."""
