#!/usr/bin/env bash
# Authors a migration from the change between the schema at the last migration (schema.snapshot.prisma)
# and prisma/schema.prisma, with `prisma migrate diff` run against a throwaway PostgreSQL 15 (never PG 18:
# Prisma 6.19's schema engine crashes on it, see docs/decisions/0001-persistence.md). No shadow database.
# Usage: npm run migrate:new -- <name>
set -euo pipefail
name="${1:?usage: npm run migrate:new -- <name>}"
cd "$(dirname "$0")/../.."
url="$(bash .ci/pg-start.sh)"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
sql="$(DATABASE_URL="$url" npx prisma migrate diff --from-schema-datamodel prisma/migrations/schema.snapshot.prisma --to-schema-datamodel prisma/schema.prisma --script)"
if ! grep -q '[A-Za-z]' <<<"$(grep -v '^--' <<<"$sql")" || grep -q "This is an empty migration" <<<"$sql"; then echo "No schema change."; exit 0; fi
mkdir -p "$dir"; printf '%s\n' "$sql" > "$dir/migration.sql"
cp prisma/schema.prisma prisma/migrations/schema.snapshot.prisma
echo "Wrote $dir/migration.sql"
