# Kuota: multi-stage, non-root, current LTS Node. Migrations run on start (no engine download).
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY src/adapters/db/provider.ts ./src/adapters/db/provider.ts
# postinstall generates both Prisma clients.
RUN npm ci
COPY src ./src
# Compiled JavaScript is what runs. The prune also drops what npm marks optional: prisma and typescript
# are optional peers of @prisma/client, which keeps them through --omit=dev alone (~200 MB).
RUN npm run build && npm prune --omit=dev --omit=optional

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATABASE_URL=file:/app/data/kuota.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY prisma ./prisma
COPY locales ./locales
COPY public ./public
COPY data/catalog.sample.json data/stores.sample.json ./data/
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# SIGTERM reaches node directly (exec form): the bot stops taking updates and finishes what it started.
# test/e2e/image.test.ts runs this command in the layout above, outside Docker. The heap cap, 6× what
# Kuota holds in a burst, also keeps V8 from letting garbage grow the heap to 220 MB in one (bench/README.md).
CMD ["node", "--max-old-space-size=512", "dist/main.js"]
