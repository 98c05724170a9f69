# entrawatch worker / bridge / CLI image: multi-stage, non-root, production dependencies only.
# Build: docker build -t entrawatch .    Run: docker run --rm entrawatch scan /app/samples
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
# `npm run build` is tsc + scripts/copy-build-assets.mjs (copies the Lua scripts into dist/)
COPY scripts/copy-build-assets.mjs ./scripts/
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json entrawatch.example.yaml ./
COPY bin ./bin
COPY rules ./rules
COPY samples ./samples
USER node
# metrics, /healthz and /readyz
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:9464/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "/app/bin/entrawatch.js"]
CMD ["--help"]
