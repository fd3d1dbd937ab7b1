"""Sandbox ERPs speaking their vendors' wire formats, in memory, for the demo and the tests."""
