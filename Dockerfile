# Katalog: multi-stage image. Build: docker build -t katalog .
# Run:   docker run --init -p 3000:3000 -v katalog-data:/var/lib/katalog katalog
# On PostgreSQL: add -e DATABASE_URL=postgres://user:password@host:5432/db (the volume then holds only
# the document cache); several processes: ... katalog node dist/src/main.js serve --workers 4
# (--init gives the process a proper PID 1 that forwards signals, so SIGTERM closes it gracefully.)

# ---- build: compile TypeScript, then drop dev dependencies ----
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles its native addon when no prebuilt binary fits.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: only what the server reads ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    KATALOG_DB=/var/lib/katalog/katalog.db
WORKDIR /app
# The application files stay owned by root (read-only for the server); only the database volume is writable.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/shapes ./shapes
COPY --from=build /app/vocab ./vocab
COPY --from=build /app/data ./data
COPY --from=build /app/openapi.yaml ./openapi.yaml
# The pages' templates and stylesheet are read at start (src/http/pages/page-renderer.ts).
COPY --from=build /app/src/http/pages/templates ./src/http/pages/templates
COPY --from=build /app/src/http/pages/katalog.css ./src/http/pages/katalog.css
RUN mkdir -p /var/lib/katalog && chown node:node /var/lib/katalog
VOLUME /var/lib/katalog
USER node
EXPOSE 3000
# Slim images have no curl: use Node's built-in fetch. Ready means the store is open and data/ is loaded.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js", "serve"]
