"""Dashboards and reports: coverage, data quality, naik kelas, the leadership's summary, exports."""
