"""The first revision's tables, one module per capability, frozen as 0001 created them (no app imports)."""
