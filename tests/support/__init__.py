"""What the tests share: the repository's paths, the fixed clock, sites written and built in a
temporary folder, the command line, the dev server, the browser and the archives several test
modules check."""
