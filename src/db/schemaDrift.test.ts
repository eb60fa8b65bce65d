import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { waspSchema, withPluginModels } from '../../scripts/wasp/waspSchema.js';
import { createTestDatabase } from '../test/testDatabase.js';

// Prisma's own schema parser (WebAssembly, works offline) reads schema.prisma; the migrations are
// applied to a real database; the two descriptions below must be equal. A change to one without the
// other fails here. The same comparison holds for the schema a Wasp app gets (scripts/wasp/waspSchema.ts):
// what Wasp's own migrations (`wasp db migrate-dev`, Prisma's diff of that schema) create is what
// prisma/migrations creates, but for the differences written out below.
const require = createRequire(import.meta.url);
const { get_dmmf } = require('@prisma/prisma-schema-wasm') as { get_dmmf: (params: string) => string };

interface DmmfField {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: { name?: string } | unknown;
  relationFromFields?: string[];
  relationOnDelete?: string;
}
interface Dmmf {
  datamodel: {
    models: { name: string; fields: DmmfField[] }[];
    enums: { name: string; values: { name: string }[] }[];
    indexes: { model: string; type: 'id' | 'unique' | 'normal'; fields: { name: string }[] }[];
  };
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
};
// Defaults Prisma fills in on the client (no database default).
const CLIENT_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid']);

const read = (file: string) => readFileSync(path.resolve(import.meta.dirname, '../..', file), 'utf8');
const schema = read('schema.prisma');
// Prisma 7's parser (the one that runs offline here) refuses only Prisma 5's datasource url, which says
// where the database is, not what is in it.
const forPrisma7 = (prisma5Schema: string) => prisma5Schema.replace(/\n\s*url\s*=.*/, '');
// Wasp's auth brings its own Session (keyed by its Auth model); Wasp keeps passwords in AuthIdentity.
const waspDifferences = (lines: string[]) =>
  lines
    .filter((line) => !/^(column|index) Session[.(]|^fk Session\(/.test(line))
    .map((line) => (line === 'column User.passwordHash text not null' ? `${line} default` : line));
const tableOf = (line: string) => /^(?:column|index|fk) (\w+)[.(]/.exec(line)?.[1];

function fromSchema(schema: string): string[] {
  const { datamodel } = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] }))) as Dmmf;
  const lines: string[] = [];
  for (const e of datamodel.enums) lines.push(`enum ${e.name}(${e.values.map((v) => v.name).join(',')})`);
  for (const model of datamodel.models) {
    for (const f of model.fields) {
      if (f.kind === 'object') {
        if (f.relationFromFields?.length) {
          lines.push(`fk ${model.name}(${f.relationFromFields.join(',')}) -> ${f.type} on delete ${(f.relationOnDelete ?? 'Restrict').toLowerCase()}`);
        }
        continue;
      }
      const type = f.kind === 'enum' ? f.type : SCALAR_TYPES[f.type];
      const defaultName = (f.default as { name?: string } | undefined)?.name;
      const dbDefault = f.hasDefaultValue && !CLIENT_DEFAULTS.has(defaultName ?? '');
      lines.push(`column ${model.name}.${f.name} ${type} ${f.isRequired ? 'not null' : 'null'}${dbDefault ? ' default' : ''}`);
    }
  }
  for (const index of datamodel.indexes) {
    const kind = index.type === 'id' ? 'primary' : index.type;
    lines.push(`index ${index.model}(${index.fields.map((f) => f.name).join(',')}) ${kind}`);
  }
  return lines.sort();
}

async function fromDatabase(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lines: string[] = [];
    const enums = await client.query<{ name: string; values: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`);
    for (const e of enums.rows) lines.push(`enum ${e.name}(${e.values.join(',')})`);

    const columns = await client.query<{ table: string; column: string; type: string; nullable: boolean; hasDefault: boolean }>(`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
             NOT a.attnotnull AS nullable, a.atthasdef AS "hasDefault"
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`);
    for (const c of columns.rows) {
      const type = c.type.replace('timestamp(3) without time zone', 'timestamp(3)').replaceAll('"', '');
      lines.push(`column ${c.table}.${c.column} ${type} ${c.nullable ? 'null' : 'not null'}${c.hasDefault ? ' default' : ''}`);
    }

    const fks = await client.query<{ table: string; columns: string[]; target: string; onDelete: string }>(`
      SELECT c.relname AS table, t.relname AS target, con.confdeltype AS "onDelete",
             array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS columns
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class t ON t.oid = con.confrelid
      WHERE con.contype = 'f'`);
    const actions: Record<string, string> = { c: 'cascade', n: 'setnull', r: 'restrict', a: 'noaction', d: 'setdefault' };
    for (const fk of fks.rows) lines.push(`fk ${fk.table}(${fk.columns.join(',')}) -> ${fk.target} on delete ${actions[fk.onDelete]}`);

    const indexes = await client.query<{ table: string; columns: string[]; primary: boolean; unique: boolean }>(`
      SELECT c.relname AS table, i.indisprimary AS primary, i.indisunique AS unique,
             array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations'`);
    for (const index of indexes.rows) {
      const kind = index.primary ? 'primary' : index.unique ? 'unique' : 'normal';
      lines.push(`index ${index.table}(${index.columns.join(',')}) ${kind}`);
    }
    return lines.sort();
  } finally {
    await client.end();
  }
}

describe('schema.prisma and prisma/migrations', () => {
  let url: string;
  beforeAll(async () => {
    ({ url } = await createTestDatabase());
  });

  it('describe the same tables, columns, enums, indexes and foreign keys', async () => {
    const expected = fromSchema(schema);
    expect(expected.length).toBeGreaterThan(50);
    expect(await fromDatabase(url)).toEqual(expected);
  });

  it("describe what a Wasp app's own migrations create, but for Wasp's Session and passwordHash's default", async () => {
    const fromMigrations = await fromDatabase(url);
    expect(fromMigrations.filter((line) => line.includes('Session')).length).toBeGreaterThan(3);
    expect(fromSchema(forPrisma7(waspSchema(schema)))).toEqual(waspDifferences(fromMigrations));
  });

  it("describe an open-saas app's tables with the plugin installed: the plugin's as they are, its User columns on the app's User", async () => {
    const app = fromSchema(forPrisma7(withPluginModels(read('scripts/wasp/openSaas/schema.prisma'), schema)));
    const plugin = waspDifferences(await fromDatabase(url));
    const pluginTables = new Set(plugin.map(tableOf).filter((table) => table !== 'User'));
    expect(pluginTables.size).toBeGreaterThan(5);
    const ofPlugin = (line: string) => line.startsWith('enum ') || pluginTables.has(tableOf(line)!);
    expect(app.filter(ofPlugin)).toEqual(plugin.filter(ofPlugin));
    // The app's User keeps its optional email (social logins); the plugin refuses billing without one.
    const userLines = plugin.filter((line) => tableOf(line) === 'User').map((line) => line.replace('User.email text not null', 'User.email text null'));
    expect(app).toEqual(expect.arrayContaining(userLines));
  });
});
