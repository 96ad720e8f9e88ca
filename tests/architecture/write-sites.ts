import ts from "typescript";

/**
 * Where source code writes to the database, found in its syntax tree rather than by a regex over
 * the whole file: a Drizzle write (`x.insert(table)`, `.update(table)`, `.delete(table)` on a
 * schema table) or a SQL template that inserts, updates, deletes or truncates. For each, the
 * function it sits in and whether that function runs inside a command: it is a command's `run`,
 * or it (or a function around it) takes the command's transaction (`CommandTx`, or the whole
 * `CommandContext`).
 */
export interface WriteSite {
  file: string;
  line: number;
  /** The innermost named function around the write, for messages. */
  functionName: string;
  insideCommand: boolean;
}

const SQL_WRITE = /\b(insert\s+into|update\s+"?\w+"?\s+set|delete\s+from|truncate\s+)/i;

export function findWriteSites(file: string, text: string, tables: ReadonlySet<string>): WriteSite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const sites: WriteSite[] = [];
  const visit = (node: ts.Node) => {
    if (isDrizzleWrite(node, tables) || isSqlWrite(node)) {
      sites.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, functionName: enclosingName(node), insideCommand: runsInsideCommand(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

function isDrizzleWrite(node: ts.Node, tables: ReadonlySet<string>): boolean {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  if (!["insert", "update", "delete"].includes(node.expression.name.text)) return false;
  const [arg] = node.arguments;
  return node.arguments.length === 1 && arg !== undefined && ts.isIdentifier(arg) && tables.has(arg.text);
}

function isSqlWrite(node: ts.Node): boolean {
  if (!ts.isTaggedTemplateExpression(node) && !(ts.isCallExpression(node) && isUnsafeCall(node))) return false;
  return SQL_WRITE.test(node.getText());
}

// sql.unsafe("...") / client.unsafe(`...`): raw SQL outside a tagged template.
function isUnsafeCall(node: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "unsafe";
}

/** A command's body, or a function handed the command's transaction (itself or around it). */
function runsInsideCommand(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (isFunctionLike(at) && (takesCommandTx(at) || isCommandRun(at))) return true;
  }
  return false;
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

function takesCommandTx(fn: ts.FunctionLikeDeclaration): boolean {
  return fn.parameters.some((p) => p.type !== undefined && /\b(CommandTx|CommandContext)\b/.test(p.type.getText()));
}

// `run(ctx, input) {…}` or `run: async (…) => …` in the object literal passed to defineCommand(…).
function isCommandRun(fn: ts.FunctionLikeDeclaration): boolean {
  const holder = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(fn.parent) ? fn.parent : null;
  if (!holder || !holder.name || !ts.isIdentifier(holder.name) || holder.name.text !== "run") return false;
  const literal = holder.parent;
  const call = literal?.parent;
  return ts.isObjectLiteralExpression(literal) && call !== undefined && ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === "defineCommand";
}

function enclosingName(node: ts.Node): string {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if ((ts.isFunctionDeclaration(at) || ts.isMethodDeclaration(at)) && at.name) return at.name.getText();
    if ((ts.isArrowFunction(at) || ts.isFunctionExpression(at)) && ts.isVariableDeclaration(at.parent)) return at.parent.name.getText();
  }
  return "(top level)";
}

/**
 * The exported functions of a module with their source text: `export async function x() {}`,
 * `export const x = …`, and the members of `export const { A, B } = …`.
 */
export function listExportedFunctions(file: string, text: string): Array<{ name: string; text: string }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: Array<{ name: string; text: string }> = [];
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name) out.push({ name: statement.name.text, text: statement.getText() });
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const names = ts.isIdentifier(declaration.name) ? [declaration.name.text] : ts.isObjectBindingPattern(declaration.name) ? declaration.name.elements.map((e) => e.name.getText()) : [];
        for (const name of names) out.push({ name, text: declaration.getText() });
      }
    }
  }
  return out;
}
