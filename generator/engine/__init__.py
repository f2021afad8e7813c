"""The build engine: rendering the plan, incremental builds, the cache and the output folder."""
