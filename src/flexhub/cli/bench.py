"""`flexhub bench`: benchmarks printing one JSON object each (filled in by the bench package)."""

import typer

app = typer.Typer(help="Benchmarks (JSON output).", no_args_is_help=True)
