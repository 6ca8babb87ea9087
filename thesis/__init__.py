"""thesis: turn an analyst's investment thesis, kept as YAML, into a dated, cited research brief."""

# The one place the version is written: pyproject.toml reads it from here (``[tool.setuptools.dynamic]``),
# so asking the installed metadata for it (importlib.metadata, ~50 ms of imports) is not needed at start-up.
__version__ = "0.1.0"
