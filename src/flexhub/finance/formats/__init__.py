"""Statement formats: one plug-in per platform's settlement file, each turning the file's text into statement
lines (`lines.StatementLine`). Registered under the `flexhub.statements` entry point group."""
