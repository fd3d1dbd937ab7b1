"""Stock sync out: available-to-sell figures per listing, allocation, paced pushes, reconciliation."""
