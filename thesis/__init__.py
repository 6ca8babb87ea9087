"""thesis: turn an analyst's investment thesis, kept as YAML, into a dated, cited research brief."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("thesis")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
