"""The live preview: ``dateline serve``."""
