"""Programmes and fair allocation (merata): cycles, eligibility, selection, enrolment, aid ledger."""
