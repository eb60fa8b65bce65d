// The pages import `@billing/backend` (BillingApi) and `@billing/backend/accounts` (Accounts); the build
// decides which implementation that is, so neither build carries the other's client:
//   standalone: src/client/api.ts, through vite.config.ts, vitest.config.ts and src/client/tsconfig.json;
//   Wasp: src/wasp/adapters/client/, resolved by scripts/wasp when it copies the pages into a Wasp app
//   (Wasp's SDK build type-checks its copy of src/ with its own tsconfig, which knows no aliases).
export const BACKEND_MODULES = { api: '@billing/backend', accounts: '@billing/backend/accounts' } as const;

export type BackendFiles = Record<keyof typeof BACKEND_MODULES, string>;

/** Vite's `resolve.alias` for the implementation in `files` (absolute paths). */
export function backendAlias(files: BackendFiles): { find: RegExp; replacement: string }[] {
  return (Object.keys(BACKEND_MODULES) as (keyof BackendFiles)[]).map((key) => ({
    find: new RegExp(`^${BACKEND_MODULES[key].replaceAll('/', '\\/')}$`),
    replacement: files[key],
  }));
}
