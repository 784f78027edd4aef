"""Services of the guidance app."""
