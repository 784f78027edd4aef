"""Market access: products, packaging upgrades, retail and online listings, affiliates, the public catalogue."""
