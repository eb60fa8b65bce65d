/**
 * Our schema.prisma as Wasp 0.25 needs it: Prisma 5's generator and a url from env; no Session model
 * (Wasp's auth brings its own, keyed by its Auth model); passwordHash defaulting to '' because Wasp
 * keeps passwords in its AuthIdentity (an empty hash never verifies on the standalone login).
 */
export function waspSchema(schema: string): string {
  let result = schema;
  const replace = (pattern: RegExp, replacement: string, what: string) => {
    if (!pattern.test(result)) throw new Error(`schema.prisma: cannot find ${what} to make it Wasp's`);
    result = result.replace(pattern, replacement);
  };
  replace(/generator client \{[^}]*\}/, 'generator client {\n  provider = "prisma-client-js"\n}', 'the generator');
  replace(/datasource db \{[^}]*\}/, 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}', 'the datasource');
  replace(/\n(\/\/[^\n]*\n)*model Session \{[^}]*\}\n/, '\n', 'model Session');
  replace(/\n\s+sessions\s+Session\[\]/, '', 'User.sessions');
  replace(/(\n\s+passwordHash\s+String)\n/, '$1 @default("")\n', 'User.passwordHash');
  return result;
}

/**
 * What a Wasp app that has its own User (open-saas) appends to its schema.prisma: every enum and model
 * of Wasp's schema but User (the app keeps its own, with the fields docs/WASP-OPEN-SAAS.md adds).
 */
export function pluginModels(schema: string): string {
  const blocks = waspSchema(schema).split(/\n(?=(?:\/\/[^\n]*\n)*(?:model|enum) \w+ \{)/);
  const kept = blocks.slice(1).filter((block) => !/^(\/\/[^\n]*\n)*model User \{/.test(block));
  if (kept.length === blocks.length - 1) throw new Error('schema.prisma: cannot find model User to leave to the app');
  return `${kept.join('\n').trim()}\n`;
}

/** An app's own schema.prisma (with the User fields docs/WASP-OPEN-SAAS.md adds) and the plugin's models after it. */
export function withPluginModels(appSchema: string, pluginSchema: string): string {
  return `${appSchema}\n// billing plugin: its models (scripts/wasp/waspSchema.ts pluginModels)\n${pluginModels(pluginSchema)}`;
}
