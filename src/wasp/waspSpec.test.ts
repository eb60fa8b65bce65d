import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCall, isRef, readSpec, readSpecFile, type Call } from '../../scripts/wasp/readSpec.js';
import { toDsl } from '../../scripts/wasp/toDsl.js';
import { waspSchema } from '../../scripts/wasp/waspSchema.js';
import { operations } from '../server/operations.js';
import * as adaptedOperations from './adapters/coreOperations.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const spec = readSpecFile(new URL('../../main.wasp.ts', import.meta.url).pathname);
const elements = (spec.app.spec as Call[]).flat(Infinity) as Call[];
const operationNames = elements.filter((e) => e.call === 'query' || e.call === 'action').map((e) => (isRef(e.args[0]!) ? e.args[0].ref : ''));

describe('main.wasp.ts and main.wasp', () => {
  it('declare the same thing: main.wasp is what `npm run wasp:spec` generates from main.wasp.ts', () => {
    expect(read('main.wasp'), 'main.wasp is stale: run `npm run wasp:spec`').toBe(toDsl(spec));
  });

  it('declare every operation the standalone server serves, and no other', () => {
    expect(operationNames.toSorted()).toEqual(Object.keys(operations).toSorted());
  });

  it("wrap the standalone server's own functions", () => {
    expect(Object.keys(adaptedOperations).toSorted()).toEqual(Object.keys(operations).toSorted());
    for (const [name, operation] of Object.entries(adaptedOperations)) expect(operation, name).toBe(operations[name]);
  });

  it('name only entities of the schema Wasp is given', () => {
    const models = new Set([...waspSchema(read('schema.prisma')).matchAll(/^model (\w+) \{/gm)].map((match) => match[1]));
    const entitiesOf = (call: Call) => call.args.flatMap((arg) => (typeof arg === 'object' && 'entities' in arg ? (arg.entities as string[]) : []));
    const named = new Set([(spec.app.auth as { userEntity: string }).userEntity, ...elements.flatMap(entitiesOf)]);
    expect(named.size).toBeGreaterThan(5);
    for (const entity of named) expect(models, entity).toContain(entity);
  });
});

describe('readSpec', () => {
  const specOf = (body: string) =>
    readSpec(`import { app, api, query } from "@wasp.sh/spec";\nimport { hook } from "./src/hooks" with { type: "ref" };\n${body}`);

  it('reads refs, constructor calls and literals', () => {
    const { refs, app } = specOf('export default app({ name: "A", spec: [query(hook, { entities: ["User"] })] });');
    expect(refs).toEqual([{ ref: 'hook', from: './src/hooks' }]);
    const [call] = app.spec as Call[];
    expect(isCall(call!) && call.args).toEqual([{ ref: 'hook', from: './src/hooks' }, { entities: ['User'] }]);
  });

  it('refuses what the DSL could not carry: other names, statements and expressions', () => {
    expect(() => specOf('const x = 1;\nexport default app({ name: "A", spec: [] });')).toThrow(/main.wasp.ts:3: this statement/);
    expect(() => specOf('export default app({ name: "A", title: other, spec: [] });')).toThrow(/a name that is not a ref import/);
    expect(() => specOf('export default app({ name: "A", port: 1 + 2, spec: [] });')).toThrow(/this expression/);
    expect(() => readSpec('import { x } from "./src/x";\nexport default app({});')).toThrow(/not `with \{ type: "ref" \}`/);
  });
});

describe('readSpec of a spec part', () => {
  const part = 'import { query } from "@wasp.sh/spec";\nimport { hook } from "../hooks" with { type: "ref" };\nexport const hooks = [query(hook)];\n';
  const main = (names: string) => `import { app } from "@wasp.sh/spec";\nimport { ${names} } from "./src/wasp/hooks.wasp";\nexport default app({ name: "A", spec: [hooks] });`;

  it("reads the part's exports, with its refs' paths from the project root", () => {
    const spec = readSpec(main('hooks'), 'main.wasp.ts', (from) => (from === './src/wasp/hooks.wasp' ? part : ''));
    expect(spec.parts).toEqual(['./src/wasp/hooks.wasp']);
    expect(spec.refs).toEqual([{ ref: 'hook', from: './src/hooks' }]);
    expect(spec.app.spec).toEqual([[{ call: 'query', args: [{ ref: 'hook', from: './src/hooks' }] }]]);
  });

  it('refuses a name the part does not export, and anything but exported consts in it', () => {
    expect(() => readSpec(main('others'), 'main.wasp.ts', () => part)).toThrow(/others, which \.\/src\/wasp\/hooks.wasp does not export/);
    expect(() => readSpec(main('hooks'), 'main.wasp.ts', () => `${part}let x = 1;\n`)).toThrow(/src\/wasp\/hooks.wasp.ts:4: this statement/);
  });
});

describe('toDsl', () => {
  const dslOf = (specLine: string) =>
    toDsl(
      readSpec(
        'import { action, api, app, job, page, route } from "@wasp.sh/spec";\n' +
          'import { Home, hook, work } from "./src/x" with { type: "ref" };\n' +
          `export default app({ name: "A", wasp: { version: "^0.25.0" }, emailSender: { provider: "SMTP" }, spec: [${specLine}] });`,
      ),
    );

  it('writes each route with its page, entities and providers as names, and an api with its httpRoute', () => {
    const dsl = dslOf('route("HomeRoute", "/", page(Home, { authRequired: true })), api("POST", "/hook", hook, { entities: ["User", "Payment"], auth: false })');
    expect(dsl).toContain('app A {\n  wasp: {\n    version: "^0.23.0"\n  },\n  emailSender: {\n    provider: SMTP\n  }\n}');
    expect(dsl).toContain('route HomeRoute {\n  path: "/",\n  to: Home\n}\npage Home {\n  component: import { Home } from "@src/x",\n  authRequired: true\n}');
    expect(dsl).toContain('api hook {\n  fn: import { hook } from "@src/x",\n  httpRoute: (POST, "/hook"),\n  entities: [User, Payment],\n  auth: false\n}');
  });

  it('refuses a constructor it has no DSL form for, rather than leaving it out', () => {
    expect(() => dslOf('job(work, { executor: "PgBoss" })')).toThrow(/job\(\) has no DSL form/);
    expect(() => dslOf('route("R", "/", page(Home), { lazy: false })')).toThrow(/only route\(name, path, page/);
  });
});

describe('waspSchema', () => {
  const schema = waspSchema(read('schema.prisma'));

  it("gives Wasp Prisma 5's generator and leaves it its own Session model", () => {
    expect(schema).toMatch(/generator client \{\s*provider = "prisma-client-js"\s*\}/);
    expect(schema).toMatch(/url\s+= env\("DATABASE_URL"\)/);
    expect(schema).not.toMatch(/model Session|Session\[\]/);
    expect(schema).toMatch(/passwordHash\s+String @default\(""\)/);
  });

  it('fails loudly when schema.prisma no longer has what it rewrites', () => {
    expect(() => waspSchema(read('schema.prisma').replace('model Session', 'model Sessions'))).toThrow(/cannot find model Session/);
  });
});
