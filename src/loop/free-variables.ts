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
  /** It calls import(), which code compiled from source cannot do without a loader flag. */
  usesImport: boolean;
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
  const usesImport = anyNode(ast as AnyNode, (n) => n.type === 'ImportExpression');
  return { method, free, capturesThis: arrowUsesOuterThis(ast), usesImport };
}

type AnyNode = Node & Record<string, unknown>;

/** True when `test` holds for root or a node below it; `enter` says which nodes to look inside. */
function anyNode(root: AnyNode, test: (n: AnyNode) => boolean, enter: (n: AnyNode) => boolean = () => true): boolean {
  if (test(root)) return true;
  if (!enter(root)) return false;
  for (const value of Object.values(root)) {
    if (Array.isArray(value)) {
      if (value.some((v) => isNode(v) && anyNode(v, test, enter))) return true;
    } else if (isNode(value) && anyNode(value, test, enter)) return true;
  }
  return false;
}

/** True when a top-level arrow function reaches for its enclosing `this`/`arguments`/`super`. */
function arrowUsesOuterThis(root: Node): boolean {
  const top = findFunction(root as AnyNode);
  if (!top || top.type !== 'ArrowFunctionExpression') return false;
  return anyNode(
    top,
    (node) =>
      node.type === 'ThisExpression' ||
      node.type === 'Super' ||
      node.type === 'MetaProperty' ||
      (node.type === 'Identifier' && node.name === 'arguments'),
    // A non-arrow function has its own this/arguments.
    (node) =>
      node === top ||
      !(node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ClassBody'),
  );
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
