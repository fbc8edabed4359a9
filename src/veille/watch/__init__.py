"""Watching feeds: fetch new articles, run them through the pipeline, raise alerts."""
