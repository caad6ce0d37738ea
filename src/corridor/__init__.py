"""corridor: jurisdiction-aware sanctions screening of cross-border trade."""

__version__ = "0.1.0"
