"""The HTTP API (FastAPI): authentication, error mapping, limits, and the routers of each capability."""
