"""The content layer: which files are articles, and each file read into an Article."""
