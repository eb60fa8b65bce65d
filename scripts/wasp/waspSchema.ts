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
