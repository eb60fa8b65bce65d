import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A value main.wasp.ts imports `with { type: "ref" }`: Wasp bundles it from src/. */
export interface Ref {
  ref: string;
  /** The import path as written, e.g. `./src/wasp/adapters/operations`. */
  from: string;
}

/** A call of one of @wasp.sh/spec's constructors (`route`, `page`, `query`, ...). */
export interface Call {
  call: string;
  args: SpecValue[];
}

export type SpecValue = string | number | boolean | Ref | Call | SpecValue[] | { [key: string]: SpecValue };

export interface WaspSpec {
  refs: Ref[];
  /** The spec parts main.wasp.ts imports (`./src/wasp/billing.wasp`): files Wasp reads beside it. */
  parts: string[];
  /** The object passed to `app(...)`, the file's default export. */
  app: { [key: string]: SpecValue };
}

export const isRef = (value: SpecValue): value is Ref => typeof value === 'object' && 'ref' in value;
export const isCall = (value: SpecValue): value is Call => typeof value === 'object' && 'call' in value;

/** Gives the source of a spec part, by its import path from the project root (`./src/wasp/billing.wasp`). */
export type LoadPart = (from: string) => string;

const noParts: LoadPart = (from) => {
  throw new Error(`${from}: spec parts cannot be read here`);
};

/**
 * Reads a main.wasp.ts without running it (that needs @wasp.sh/spec, which only a Wasp project has):
 * its ref imports and the literal it passes to `app`, and the spec parts it imports: `*.wasp` files
 * of `export const` lists (their refs' paths made relative to the project root). Anything else is
 * refused, so nothing the generated main.wasp would miss can hide in the spec.
 */
export function readSpec(source: string, fileName = 'main.wasp.ts', loadPart: LoadPart = noParts): WaspSpec {
  const refs = new Map<string, Ref>();
  const parts: string[] = [];
  const { app } = readModule(source, fileName, './', (from) => {
    parts.push(from);
    return readModule(loadPart(from), `${from.slice(2)}.ts`, `./${path.posix.dirname(from)}/`, noNestedParts, refs).names;
  }, refs);
  if (!app) throw new Error(`${fileName}: no \`export default app({...})\``);
  return { refs: [...refs.values()], parts, app };
}

type ReadPart = (from: string) => Map<string, SpecValue>;

const noNestedParts: ReadPart = (from) => {
  throw new Error(`${from}: a spec part imports another; only main.wasp.ts imports parts here`);
};

/** One spec file: its names (refs, part exports, its own `export const`s) and its `app({...})`, if any. */
function readModule(source: string, fileName: string, dir: string, readPart: ReadPart, allRefs: Map<string, Ref>) {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const fail = (node: ts.Node, what: string): never => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    throw new Error(`${fileName}:${line + 1}: ${what} is not supported here: ${node.getText()}`);
  };
  const names = new Map<string, SpecValue>();
  const constructors = new Set<string>();
  let app: WaspSpec['app'] | undefined;

  const value = (node: ts.Expression): SpecValue => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (ts.isArrayLiteralExpression(node)) return node.elements.map(value);
    if (ts.isIdentifier(node)) return names.get(node.text) ?? fail(node, 'a name that is not a ref import');
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && constructors.has(node.expression.text)) {
      return { call: node.expression.text, args: node.arguments.map(value) };
    }
    if (ts.isObjectLiteralExpression(node)) {
      const entries = node.properties.map((property): [string, SpecValue] => {
        if (ts.isShorthandPropertyAssignment(property)) return [property.name.text, value(property.name)];
        if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
          return [property.name.text, value(property.initializer)];
        }
        return fail(property, 'this property');
      });
      return Object.fromEntries(entries);
    }
    return fail(node, 'this expression');
  };

  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const from = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings) || statement.importClause?.name) fail(statement, 'an import without named bindings');
      const imported = (bindings as ts.NamedImports).elements.map((element) => element.name.text);
      if (from === '@wasp.sh/spec') imported.forEach((name) => constructors.add(name));
      else if (isRefImport(statement)) {
        const rootRelative = from.startsWith('.') ? `./${path.posix.join(dir, from)}` : from;
        for (const ref of imported) {
          const found: Ref = { ref, from: rootRelative };
          names.set(ref, found);
          allRefs.set(ref, found);
        }
      } else if (from.endsWith('.wasp')) {
        const exported = readPart(`./${path.posix.join(dir, from)}`);
        for (const name of imported) names.set(name, exported.get(name) ?? fail(statement, `${name}, which ${from} does not export,`));
      } else fail(statement, 'an import that is not `with { type: "ref" }` or of a `.wasp` part');
    } else if (ts.isExportAssignment(statement)) {
      const call = statement.expression;
      if (!ts.isCallExpression(call) || call.getChildAt(0).getText() !== 'app' || call.arguments.length !== 1) {
        fail(statement, 'a default export other than app({...})');
      }
      const config = value((call as ts.CallExpression).arguments[0]!);
      if (typeof config !== 'object' || Array.isArray(config) || isRef(config) || isCall(config)) fail(statement, 'app() without an object');
      app = config as WaspSpec['app'];
    } else if (isExportedConst(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) fail(declaration, 'this declaration');
        names.set((declaration.name as ts.Identifier).text, value(declaration.initializer!));
      }
    } else {
      fail(statement, 'this statement');
    }
  }
  return { names, app };
}

function isExportedConst(statement: ts.Statement): statement is ts.VariableStatement {
  return (
    ts.isVariableStatement(statement) &&
    (statement.declarationList.flags & ts.NodeFlags.Const) !== 0 &&
    (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
  );
}
function isRefImport(statement: ts.ImportDeclaration): boolean {
  return (statement.attributes?.elements ?? []).some(
    (attribute) => attribute.name.text === 'type' && ts.isStringLiteral(attribute.value) && attribute.value.text === 'ref',
  );
}

/**
 * readSpec of a main.wasp.ts on disk; its parts are read from the first of `roots` that has them (the
 * project's folder, then, for an app that installs the plugin, the plugin's).
 */
export function readSpecFile(mainFile: string, roots: string[] = [path.dirname(mainFile)]): WaspSpec {
  return readSpec(readFileSync(mainFile, 'utf8'), path.basename(mainFile), (from) => {
    const file = roots.map((root) => path.join(root, `${from}.ts`)).find((candidate) => existsSync(candidate));
    if (!file) throw new Error(`${from}.ts: no such spec part in ${roots.join(' or ')}`);
    return readFileSync(file, 'utf8');
  });
}
