#!/usr/bin/env bash
# `npm test`: typecheck, lint, unit, integration (real database + simulators over HTTP), then the browser tests
# against a production build in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"; npx tsc --noEmit
echo "== lint"; npx eslint --max-warnings=0 .
echo "== build"; npx remix vite:build >/dev/null
echo "== unit + integration + e2e"; npx vitest run
