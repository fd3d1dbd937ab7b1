# flexhub's image: the API (`flexhub serve --no-jobs`), the workers (`flexhub worker`) and the migrate step
# (`flexhub db upgrade`) all run from it; compose.yaml shows the topology. Non-root, slim, no compiler.

# The dashboard's browser libraries come from the npm registry at build time (never a CDN, never committed).
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FLEXHUB_ASSETS_DIR=/app/node_modules \
    FLEXHUB_LOG_FORMAT=json \
    FLEXHUB_FORWARDED_ALLOW_IPS=* \
    PROMETHEUS_MULTIPROC_DIR=/tmp/flexhub-metrics
RUN groupadd --system --gid 10001 flexhub && useradd --system --uid 10001 --gid flexhub --home-dir /app flexhub
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install ".[postgres,nats]" && rm -rf src
COPY --from=assets /build/node_modules ./node_modules
RUN mkdir -p /app/var /tmp/flexhub-metrics && chown -R flexhub:flexhub /app/var /tmp/flexhub-metrics
USER flexhub
EXPOSE 8000
# Ready means the database is reachable and migrated, and NATS connected when it carries the events.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2).status != 200)"]
ENTRYPOINT ["flexhub"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--no-jobs"]
