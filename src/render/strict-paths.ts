// Strictness everywhere (SPEC section 7). Handlebars' `strict` checks only plain mustaches: a
// missing path passed to a helper, used as a block parameter or inside a subexpression renders
// as "". So every value path in a template is rewritten, before compiling, into a call of one
// lookup helper that walks the path itself and fails with the template line and the path:
//   {{quote values.typo}}  ->  {{quote (__slipwayPath values "[\"typo\"]" "values.typo" 3)}}
// The head segment stays a Handlebars lookup, so `this`, `../`, `@root` and block params keep
// their meaning. Arguments of `default`, `empty`, `coalesce`, `hasKey` and `required` may miss
// their last segment (Helm's `default 1 .Values.x`); a missing intermediate still fails.
import type Handlebars from 'handlebars';


export const PATH_HELPER = '__slipwayPath';
export const OPTIONAL_PATH_HELPER = '__slipwayOptionalPath';
export const VALUE_HELPER = '__slipwayValue';
const OPTIONAL_ARGS = new Set(['default', 'empty', 'coalesce', 'hasKey', 'required']);
const SCIENTIFIC = /^-?\d+(\.\d+)?e[+-]?\d+$/i;

type Node = hbs.AST.Node & Record<string, unknown>;
type Expr = hbs.AST.Expression;

/** Rewrites the AST in place; `helpers` are the names that are helpers, not values. */
export function rewriteStrictPaths(program: hbs.AST.Program, helpers: ReadonlySet<string>): hbs.AST.Program {
  const isHelperName = (path: Expr) => path.type === 'PathExpression' && (path as hbs.AST.PathExpression).parts.length === 1 && helpers.has((path as hbs.AST.PathExpression).original);

  const value = (expr: Expr, optional: boolean): Expr => {
    if (expr.type === 'SubExpression') {
      call(expr as hbs.AST.SubExpression);
      return expr;
    }
    if (expr.type !== 'PathExpression') return expr;
    const path = expr as hbs.AST.PathExpression;
    if (SCIENTIFIC.test(path.original)) return { type: 'NumberLiteral', value: Number(path.original), original: Number(path.original), loc: path.loc } as hbs.AST.NumberLiteral;
    if (path.parts.length === 0) return expr; // `this`, `.`
    return lookup(path, optional ? OPTIONAL_PATH_HELPER : PATH_HELPER);
  };

  const call = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement) => {
    const name = node.path.type === 'PathExpression' ? (node.path as hbs.AST.PathExpression).original : '';
    const optional = OPTIONAL_ARGS.has(name);
    node.params = node.params.map((p, i) => value(p, optional && (name === 'hasKey' ? i === 1 : name === 'required' ? i === 1 : true)));
    if (node.hash) for (const pair of node.hash.pairs) pair.value = value(pair.value, false);
  };

  const visit = (node: Node | null | undefined) => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of (node as unknown as hbs.AST.Program).body) visit(s as Node);
        return;
      case 'MustacheStatement': {
        const m = node as unknown as hbs.AST.MustacheStatement;
        if (m.params.length === 0 && !m.hash && m.path.type === 'PathExpression' && !isHelperName(m.path)) {
          const path = m.path as hbs.AST.PathExpression;
          if ((path.parts.length > 0 && !path.data) || (path.data && path.parts.length > 1)) {
            m.params = [value(path, false)];
            m.path = helperPath(VALUE_HELPER, path.loc);
          }
          return;
        }
        call(m);
        return;
      }
      case 'BlockStatement':
      case 'DecoratorBlock': {
        const b = node as unknown as hbs.AST.BlockStatement;
        call(b);
        visit(b.program as unknown as Node);
        visit(b.inverse as unknown as Node);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const p = node as unknown as hbs.AST.PartialStatement;
        p.params = p.params.map((x) => value(x, false));
        if (p.hash) for (const pair of p.hash.pairs) pair.value = value(pair.value, false);
        visit((node as unknown as { program?: Node }).program);
        return;
      }
      default:
        return;
    }
  };
  visit(program as unknown as Node);
  return program;
}

function helperPath(name: string, loc: hbs.AST.SourceLocation): hbs.AST.PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc } as hbs.AST.PathExpression;
}

function lookup(path: hbs.AST.PathExpression, helper: string): hbs.AST.SubExpression {
  const [head, ...rest] = path.parts as [string, ...string[]];
  const headOriginal = path.data ? `@${head}` : path.original.startsWith('this.') ? `this.${head}` : head;
  const headPath = { ...path, parts: [head], original: headOriginal } as hbs.AST.PathExpression;
  const str = (v: string) => ({ type: 'StringLiteral', value: v, original: v, loc: path.loc }) as hbs.AST.StringLiteral;
  return {
    type: 'SubExpression',
    path: helperPath(helper, path.loc),
    params: [headPath, str(JSON.stringify(rest)), str(headOriginal.replace(/^this\./, '')), { type: 'NumberLiteral', value: path.loc.start.line, original: path.loc.start.line, loc: path.loc } as hbs.AST.NumberLiteral],
    hash: { type: 'Hash', pairs: [], loc: path.loc },
    loc: path.loc,
  } as hbs.AST.SubExpression;
}

/** Raised by the lookup helpers; the environment turns it into `file:line`. */
export class MissingPathError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const has = (node: unknown, key: string): boolean =>
  node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, key);

/** The helpers the rewrite calls: walk own properties only, fail with the path that is missing. */
export function pathHelpers(): Record<string, (...args: unknown[]) => unknown> {
  const walk = (optional: boolean) => (head: unknown, restJson: unknown, headShown: unknown, line: unknown) => {
    const rest = JSON.parse(String(restJson)) as string[];
    const shown = (depth: number) => [String(headShown), ...rest.slice(0, depth)].join('.');
    const fail = (depth: number, parent?: unknown): never => {
      let message = `"${shown(depth)}" is not defined`;
      if (parent !== null && typeof parent === 'object') {
        const keys = Object.keys(parent);
        if (headShown === 'images' && depth === 1) message = `no image named "${rest[0]}"`;
        message += ` (${shown(depth - 1)} has ${keys.length ? keys.slice(0, 12).join(', ') + (keys.length > 12 ? ', ...' : '') : 'no keys'})`;
      } else if (depth > 0) {
        message += ` (${shown(depth - 1)} is ${parent === null ? 'null' : `a ${typeof parent}`}, not a map)`;
      }
      throw new MissingPathError(message, Number(line));
    };
    if (head === undefined) fail(0);
    let node = head;
    for (let i = 0; i < rest.length; i++) {
      const key = rest[i]!;
      if (!has(node, key)) {
        if (optional && i === rest.length - 1 && node !== null && typeof node === 'object') return undefined;
        fail(i + 1, node);
      }
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };
  return {
    [PATH_HELPER]: walk(false),
    [OPTIONAL_PATH_HELPER]: walk(true),
    [VALUE_HELPER]: (v: unknown) => v,
  };
}
