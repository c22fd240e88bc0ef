"""oppmarket: an internal opportunity marketplace in the terminal."""

__version__ = "0.1.0"
