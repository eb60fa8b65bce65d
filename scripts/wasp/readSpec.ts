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
  /** The object passed to `app(...)`, the file's default export. */
  app: { [key: string]: SpecValue };
}

export const isRef = (value: SpecValue): value is Ref => typeof value === 'object' && 'ref' in value;
export const isCall = (value: SpecValue): value is Call => typeof value === 'object' && 'call' in value;

/**
 * Reads a main.wasp.ts without running it (that needs @wasp.sh/spec, which only a Wasp project has):
 * its ref imports and the literal it passes to `app`. Anything else is refused, so nothing the
 * generated main.wasp would miss can hide in the spec.
 */
export function readSpec(source: string, fileName = 'main.wasp.ts'): WaspSpec {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const fail = (node: ts.Node, what: string): never => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    throw new Error(`${fileName}:${line + 1}: ${what} is not supported here: ${node.getText()}`);
  };
  const refs = new Map<string, Ref>();
  const constructors = new Set<string>();
  let app: WaspSpec['app'] | undefined;

  const value = (node: ts.Expression): SpecValue => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (ts.isArrayLiteralExpression(node)) return node.elements.map(value);
    if (ts.isIdentifier(node)) return refs.get(node.text) ?? fail(node, 'a name that is not a ref import');
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
      const names = (bindings as ts.NamedImports).elements.map((element) => element.name.text);
      if (from === '@wasp.sh/spec') names.forEach((name) => constructors.add(name));
      else if (isRefImport(statement)) names.forEach((ref) => refs.set(ref, { ref, from }));
      else fail(statement, 'an import that is not `with { type: "ref" }`');
    } else if (ts.isExportAssignment(statement)) {
      const call = statement.expression;
      if (!ts.isCallExpression(call) || call.getChildAt(0).getText() !== 'app' || call.arguments.length !== 1) {
        fail(statement, 'a default export other than app({...})');
      }
      const config = value((call as ts.CallExpression).arguments[0]!);
      if (typeof config !== 'object' || Array.isArray(config) || isRef(config) || isCall(config)) fail(statement, 'app() without an object');
      app = config as WaspSpec['app'];
    } else {
      fail(statement, 'this statement');
    }
  }
  if (!app) throw new Error(`${fileName}: no \`export default app({...})\``);
  return { refs: [...refs.values()], app };
}

function isRefImport(statement: ts.ImportDeclaration): boolean {
  return (statement.attributes?.elements ?? []).some(
    (attribute) => attribute.name.text === 'type' && ts.isStringLiteral(attribute.value) && attribute.value.text === 'ref',
  );
}
