# syntax=docker/dockerfile:1
# leadrouter: the server and the web app, compiled in a build stage; the runtime stage holds the
# production dependencies, dist/ and web/dist/ only, and runs as the unprivileged `node` user.
# Build:  docker build -t leadrouter .
# Run:    see compose.yaml (PostgreSQL and two leadrouter processes) and docs/operations.md (Containers).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 falls back to compiling itself when no prebuilt binary matches the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin bin
COPY scripts scripts
COPY src src
COPY web web
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json /app/package-lock.json ./
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/dist dist
COPY --from=build --chown=root:root /app/web/dist web/dist
COPY --from=build --chown=root:root /app/bin bin
COPY --from=build --chown=root:root /app/scripts/ensure-server-build.mjs scripts/ensure-server-build.mjs
# SQLite's file when no DATABASE_URL is given; the only place the process writes.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# Ready: database reachable, migrations current, not draining (503 while shutting down).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1 and receives SIGTERM from `docker stop`: the server shuts down gracefully.
CMD ["node", "--max-semi-space-size=32", "bin/leadrouter.js", "serve"]
