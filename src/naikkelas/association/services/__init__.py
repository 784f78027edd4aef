"""Write services of the association: typed, keyword-only, transactional, audited."""
