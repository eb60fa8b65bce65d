import { defineConfig } from 'prisma/config';

// `prisma generate` needs no database; the URL matters only to Prisma's own migrate commands, which
// this project replaces with src/db/migrate.ts (Prisma's engines cannot be downloaded offline).
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/billing' },
});
