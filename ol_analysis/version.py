"""The version of ol-analysis (a leaf, so that any module may name it)."""

__version__ = "0.1.0"
