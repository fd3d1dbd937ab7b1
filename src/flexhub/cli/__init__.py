"""The command line (Typer + Rich): serve, migrate, keys, inventory checks, benchmarks, the demo."""
