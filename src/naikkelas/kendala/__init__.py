"""Kendala: obstacles owners bring to the government, triaged, answered and counted."""
