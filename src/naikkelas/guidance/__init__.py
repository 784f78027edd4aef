"""Guidance (perizinan & perpajakan): versioned rules with their legal basis, evaluation, plans."""
