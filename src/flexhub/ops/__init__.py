"""Running flexhub as a service: readiness, metrics, structured logs with request ids, graceful shutdown."""
