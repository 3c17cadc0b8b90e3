# syntax=docker/dockerfile:1
# Images of the whole platform, one build target per service, sharing the dependency and source layers:
#   docker build --target router -t cinema-graph/router:0.1.0 .
# Targets: router, movies, people, ratings, viewing, chunk-server (with ffmpeg, also runs `media:demo`), migrate (one-shot
# migrations + seed). Production mode: the `app` stage runs `npm run build` (esbuild, one bundle per service in its
# `dist/`), and every server runs that JavaScript with NODE_ENV=production, with no TypeScript transpiler loaded.
# Only the one-shot commands (migrate, media:demo) still run their TypeScript through tsx, a runtime dependency for
# them. docker-compose.yml builds every target; deploy/k8s uses the same images.

# NODE_OPTIONS: PRODUCTION_NODE_FLAGS (packages/kit/src/built-entry.ts), as the launcher gives every production
# service process: a larger young generation, so the garbage of deep federated queries dies young (less CPU).
FROM node:20.20.2-bookworm-slim AS base
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=64 \
    HOST=0.0.0.0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app

# Production dependencies only, from the lockfile. The workspace manifests come first and alone, so this layer
# is rebuilt only when a dependency changes, not on every source edit.
FROM base AS deps
COPY package.json package-lock.json ./
COPY packages/kit/package.json packages/kit/
COPY db/package.json db/
COPY tools/data/package.json tools/data/
COPY subgraphs/movies/package.json subgraphs/movies/
COPY subgraphs/people/package.json subgraphs/people/
COPY subgraphs/ratings/package.json subgraphs/ratings/
COPY subgraphs/viewing/package.json subgraphs/viewing/
COPY router/package.json router/
COPY schema/package.json schema/
COPY launcher/package.json launcher/
COPY chunk-server/package.json chunk-server/
COPY web/package.json web/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Dependencies plus sources (.dockerignore leaves out tests, data and git). Files stay owned by root: the services
# run as `node` and cannot modify their own code.
FROM base AS app
COPY --from=deps /app ./
COPY . .
RUN node --import tsx launcher/src/build-command.ts

# What every Node service image shares: the unprivileged user and a health check on the service's own /health.
# Servers also preload packages/kit/dist/tracing/register.js (built from packages/kit/src/tracing/register.ts),
# which starts OpenTelemetry tracing when
# OTEL_EXPORTER_OTLP_ENDPOINT is set and loads nothing otherwise.
FROM app AS service
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

FROM service AS router
ENV PORT=4000
EXPOSE 4000
CMD ["node", "--import", "./packages/kit/dist/tracing/register.js", "router/dist/index.js"]

FROM service AS movies
ENV PORT=4001
EXPOSE 4001
CMD ["node", "--import", "./packages/kit/dist/tracing/register.js", "subgraphs/movies/dist/index.js"]

FROM service AS people
ENV PORT=4002
EXPOSE 4002
CMD ["node", "--import", "./packages/kit/dist/tracing/register.js", "subgraphs/people/dist/index.js"]

FROM service AS ratings
ENV PORT=4003
EXPOSE 4003
CMD ["node", "--import", "./packages/kit/dist/tracing/register.js", "subgraphs/ratings/dist/index.js"]

FROM service AS viewing
ENV PORT=4004
EXPOSE 4004
CMD ["node", "--import", "./packages/kit/dist/tracing/register.js", "subgraphs/viewing/dist/index.js"]

# One-shot job: it exits when done, so there is nothing to health-check.
FROM app AS migrate
USER node
HEALTHCHECK NONE
CMD ["node", "--import", "tsx", "deploy/src/prepare-database-command.ts"]

# ffmpeg for `npm run media:ingest` / `media:demo` in the same image as the server that streams the result.
# Installed on the base layer so a source change does not reinstall it.
FROM base AS media-tools
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg \
  && rm -rf /var/lib/apt/lists/*

FROM media-tools AS chunk-server
COPY --from=app /app ./
ENV PORT=4100 \
    MEDIA_ROOT=/media
RUN mkdir -p /media && chown node:node /media
USER node
EXPOSE 4100
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "./packages/kit/dist/tracing/register.js", "chunk-server/dist/index.js"]
