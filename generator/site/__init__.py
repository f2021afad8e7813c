"""The site model: articles indexed by tag, region, author and date, and the page plan."""
