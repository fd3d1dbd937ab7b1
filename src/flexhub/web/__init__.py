"""The dashboard: server-rendered pages (Jinja2 + htmx), charts (ECharts), live updates (SSE)."""
