"""The live preview: ``dateline serve``; ``serve.py`` holds the command and an overview of its parts."""
