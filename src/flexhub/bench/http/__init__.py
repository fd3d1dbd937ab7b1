"""`flexhub bench http`: orders through `flexhub serve` over HTTP, beside a bare FastAPI app on the same server
stack, loaded by the same client in the same run (see `run.run_http`)."""
