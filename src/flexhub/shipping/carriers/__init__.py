"""One module per carrier; each registered under the `flexhub.carriers` entry point group."""
