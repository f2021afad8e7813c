"""Publishing: ``dateline publish`` and the GitHub Pages workflow."""
