"""optionsmatrix: a neutral decision-matrix tool for policy seminars."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("optionsmatrix")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
