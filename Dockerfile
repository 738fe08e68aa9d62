# The service image: the API by default, the projector with
#   command: ["node", "--max-semi-space-size=64", "dist/apps/projector/src/main.js"]
# Without DATABASE_URL it runs its own embedded PostgreSQL in DATA_DIR, as `npm start` does.
# Built and smoke-tested by the `image` job of .github/workflows/ci.yml (Docker does not run on
# our own machines).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts scripts
COPY libs libs
COPY apps apps
RUN node scripts/build.mjs --force && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/var/lib/campaign-ledger
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY apps/dashboard/public apps/dashboard/public
# PostgreSQL refuses to run as root, and the service needs no privilege: the image's `node` user.
RUN mkdir -p "$DATA_DIR" && chown node:node "$DATA_DIR"
USER node
VOLUME ["/var/lib/campaign-ledger"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm: npm does not forward SIGTERM, and the service shuts down in order on it.
CMD ["node", "--max-semi-space-size=64", "--import", "./dist/apps/api/src/tracing/register.js", "dist/apps/api/src/main.js"]
