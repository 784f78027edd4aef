"""Hipmikindo: members, dues, board, forums and member cards (issue 11, ADR 0019)."""
