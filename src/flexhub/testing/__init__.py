"""Test support shipped with the package: builders, fakes and hypothesis strategies."""
