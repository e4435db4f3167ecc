// Which outside names a function's source uses: acorn parses it, eslint-scope
// resolves every reference, and what stays unresolved is free. A function
// shipped by source may only use names every rank has (globals, the mpi-loop
// API); anything else is state captured from its enclosing scope.
import { parse, type Node } from 'acorn';
import { analyze } from 'eslint-scope';

export interface SourceAnalysis {
  /** 1 when the source is a method shorthand (`name(a) { ... }`), which is wrapped in an object to compile. */
  method: 0 | 1;
  free: string[];
  /** An arrow function using `this`, `arguments`, `super` or `new.target` of its enclosing scope. */
  capturesThis: boolean;
}

function parseExpression(src: string): { ast: Node; method: 0 | 1 } {
  const options = {
    ecmaVersion: 'latest' as const,
    ranges: true,
    sourceType: 'script' as const,
    allowAwaitOutsideFunction: false,
  };
  try {
    return { ast: parse(`(${src}\n)`, options), method: 0 };
  } catch (first) {
    try {
      return { ast: parse(`({${src}\n})`, options), method: 1 };
    } catch {
      throw first;
    }
  }
}

export function analyzeSource(src: string): SourceAnalysis {
  const { ast, method } = parseExpression(src);
  const manager = analyze(ast as never, { ecmaVersion: 2022, sourceType: 'script' });
  const free = [...new Set(manager.globalScope!.through.map((r) => r.identifier.name))];
  return { method, free, capturesThis: arrowUsesOuterThis(ast) };
}

type AnyNode = Node & Record<string, unknown>;

/** True when a top-level arrow function reaches for its enclosing `this`/`arguments`/`super`. */
function arrowUsesOuterThis(root: Node): boolean {
  const top = findFunction(root as AnyNode);
  if (!top || top.type !== 'ArrowFunctionExpression') return false;
  let found = false;
  const visit = (node: AnyNode): void => {
    if (found) return;
    if (
      node.type === 'ThisExpression' ||
      node.type === 'Super' ||
      node.type === 'MetaProperty' ||
      (node.type === 'Identifier' && node.name === 'arguments')
    ) {
      found = true;
      return;
    }
    // A non-arrow function has its own this/arguments.
    if (
      node !== top &&
      (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ClassBody')
    )
      return;
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach((v) => isNode(v) && visit(v));
      else if (isNode(value)) visit(value);
    }
  };
  visit(top);
  return found;
}

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

function findFunction(node: AnyNode): AnyNode | undefined {
  // Program > ExpressionStatement > (ParenthesizedExpression?) > the function
  let n: unknown = node;
  while (isNode(n)) {
    if (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression' || n.type === 'ClassExpression')
      return n;
    if (n.type === 'Program') n = (n.body as unknown[])[0];
    else if (n.type === 'ExpressionStatement') n = n.expression;
    else if (n.type === 'ParenthesizedExpression') n = n.expression;
    else return undefined;
  }
  return undefined;
}
