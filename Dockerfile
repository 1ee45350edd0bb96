# Baton: one image for the orchestrator and the sample services (docker-compose.yml picks the
# entry point per service). Build: docker build -t baton:local .
#
# Stage 1 compiles with the dev dependencies (swc), stage 2 keeps only what runs.
# better-sqlite3 (the embedded event store and SQLite read model) is a native addon: its install
# script downloads a prebuilt binary, or compiles one with node-gyp when none fits, which needs
# python3, make and g++. The addon is built in stage 1 and copied as it is, so both stages must use
# the same base image (same Node ABI, same glibc).
#
# package.json lists `allowScripts` (better-sqlite3, @swc/core and protobufjs may run install
# scripts): npm 11.16+ only reports scripts that are not listed; a future npm will block them. The
# npm 10 that comes with Node 20 ignores the field and runs every install script, as before.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
# The npm workspaces (the publishable packages) must be present for `npm ci`.
COPY libs/worker-sdk/package.json libs/worker-sdk/package.json
COPY libs/client/package.json libs/client/package.json
RUN npm ci --no-audit --no-fund
# `npm run build` compiles apps, libs, bench, scripts and test/support (swc, paths from .swcrc).
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    BATON_DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded stores (sqlite:… URLs) write under /app/data; mount a volume there to keep them.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
# The orchestrator by default; the sample services override the command:
#   node dist/apps/<order|inventory|payment|shipping|notification>-service/src/main.js
# A bounded heap keeps the orchestrator's memory predictable (≈ 280 MB RSS under the benchmark's load);
# raise it together with BATON_CACHE_SIZE.
CMD ["node", "--max-old-space-size=256", "dist/apps/orchestrator/src/main.js"]
