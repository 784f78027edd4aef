"""Record linkage: one business, one record (normalisation, scoring, decisions)."""
