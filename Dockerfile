# syntax=docker/dockerfile:1
# Multi-stage images of bitro-api and bitcoin-gateway (`runtime`, APP build argument), from the Nx build output (dist/apps/*).

FROM node:20-bookworm-slim AS build
WORKDIR /repo
ENV CI=true NX_DAEMON=false
COPY . .
RUN npm ci --no-audit --no-fund && npx nx run-many -t build -p bitro-api bitcoin-gateway --output-style=static

# The `migrate` services of docker-compose run this stage: it has the Prisma CLI and the schema-engine stand-in.
# `migrate bitro` / `migrate gateway` apply the migrations of one process's database (DATABASE_URL).
FROM build AS migrate
CMD ["node", "tools/prisma/domains.mjs", "migrate", "bitro"]

# One runtime stage for both apps: build it with `--build-arg APP=bitcoin-gateway` for the gateway.
FROM node:20-bookworm-slim AS runtime
ARG APP=bitro-api
WORKDIR /app
ENV NODE_ENV=production
# The metrics endpoint (METRICS_PORT) listens on every interface of the container so Prometheus on the compose network
# can scrape it; docker-compose never publishes it to the host.
ENV METRICS_HOST=0.0.0.0
# glibc keeps what threads freed in per-thread arenas (40-90 MB of an idle process's resident set): fewer arenas,
# trimmed and mmapped sooner (docs/adr/0029-idle-cost.md).
ENV MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072 MALLOC_MMAP_THRESHOLD_=131072
# Nx writes the app's own package.json and lock file next to the bundle; only those dependencies are installed.
COPY --from=build /repo/dist/apps/${APP}/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund || npm install --omit=dev --ignore-scripts --no-audit --no-fund
# The generated Prisma client is bundled; its runtime comes from @prisma/client.
# Uploaded images (bitro-api's IMAGE_DIR in docker-compose): a named volume mounted here takes this owner.
RUN mkdir -p /var/lib/bitro/images && chown node:node /var/lib/bitro/images
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "main.js"]
