# syntax=docker/dockerfile:1
# Multi-stage image of bitro-api, built from the Nx build output (dist/apps/bitro-api).

FROM node:20-bookworm-slim AS build
WORKDIR /repo
ENV CI=true NX_DAEMON=false
COPY . .
RUN npm ci --no-audit --no-fund && npx nx build bitro-api --output-style=static

# The `migrate` service of docker-compose runs this stage: it has the Prisma CLI and the schema-engine stand-in.
FROM build AS migrate
CMD ["node", "tools/prisma/domains.mjs", "migrate"]

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
# Nx writes the app's own package.json and lock file next to the bundle; only those dependencies are installed.
COPY --from=build /repo/dist/apps/bitro-api/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund || npm install --omit=dev --ignore-scripts --no-audit --no-fund
# The generated Prisma client is bundled; its runtime comes from @prisma/client.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:3000/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "main.js"]
