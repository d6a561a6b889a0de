# syntax=docker/dockerfile:1
# One image for the three apps; the command picks the app (scripts/cluster-plan.js appCommand):
#   node dist/apps/gateway/src/main.js   (the default)
#   node dist/apps/authz/src/main.js
#   node dist/apps/mcp/src/main.js
# compose.yaml runs a whole cluster from it; docs/deployment.md explains the settings.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts, as package.json's allowScripts intends for @scarf/scarf (install telemetry) and
# @parcel/watcher (only `nest build --watch`): the `node` devDependency's preinstall would also download a second
# Node 24 binary; without it npm links no node_modules/.bin/node, and the base image's Node 24 runs the build.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps ./apps
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; none of them needs an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The sample folder the mcp filesystem tools serve (MCP_FS_ROOT overrides it) and the image's health probe.
COPY apps/mcp/workspace ./apps/mcp/workspace
COPY scripts/healthcheck.js ./scripts/healthcheck.js
# authz's AUTHZ_DATA_DIR (./data/authz) and file audit sinks write here; mount a volume to keep them.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# gateway (the only public port), authz, mcp; the gateway's /metrics listener is GATEWAY_ADMIN_PORT (3005).
EXPOSE 3002 3003 3004
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --start-interval=2s --retries=3 CMD ["node", "scripts/healthcheck.js"]
CMD ["node", "dist/apps/gateway/src/main.js"]
