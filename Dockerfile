# Kuota: multi-stage, non-root, current LTS Node. Migrations run on start (no engine download).
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
COPY src/adapters/db/provider.ts ./src/adapters/db/provider.ts
# postinstall generates both Prisma clients.
RUN npm ci && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATABASE_URL=file:/app/data/kuota.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/src/adapters/db/generated ./src/adapters/db/generated
COPY package.json tsconfig.json ./
COPY src ./src
COPY prisma ./prisma
COPY locales ./locales
COPY data/catalog.sample.json ./data/catalog.sample.json
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# SIGTERM reaches node directly (exec form): the bot stops taking updates and finishes what it started.
CMD ["node", "--import", "tsx", "src/main.ts"]
