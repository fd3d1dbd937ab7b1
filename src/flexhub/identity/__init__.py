"""Identity: tenants (brands), partners, API keys and roles, and the audit log of every write."""
