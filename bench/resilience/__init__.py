"""Resilience scripts: kill the worker and the web server mid-work, fill the disk, and check
that accepted data survives (issue 12). See ``bench/resilience/README.md``."""
