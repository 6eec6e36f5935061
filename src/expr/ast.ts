// The parsed shape of a condition; evaluation walks it, so nothing is ever handed to eval.

export type Node =
  | { kind: 'literal'; value: unknown; pos: number }
  | { kind: 'list'; items: Node[]; pos: number }
  | { kind: 'name'; name: string; pos: number }
  /** `a.b`, `a[0]`, `a['k']`: `key` is evaluated, then looked up on the object. */
  | { kind: 'member'; object: Node; key: Node; pos: number }
  | { kind: 'not'; operand: Node; pos: number }
  | { kind: 'neg'; operand: Node; pos: number }
  | { kind: 'and' | 'or'; left: Node; right: Node; pos: number }
  /** Python-style chain: `a < b < c` is `a < b and b < c`. */
  | { kind: 'compare'; first: Node; rest: Array<{ op: CompareOp; right: Node; pos: number }>; pos: number }
  | { kind: 'filter'; input: Node; name: string; args: Node[]; kwargs: Kwarg[]; pos: number }
  | { kind: 'test'; operand: Node; name: string; negated: boolean; args: Node[]; pos: number }
  /** `{'k': v}` */
  | { kind: 'dict'; entries: Array<{ key: Node; value: Node }>; pos: number }
  /** Arithmetic and `~` (string concatenation), with Python's meaning. */
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node; pos: number }
  /** Inline `a if cond else b`; without else, undefined (rendered as nothing). */
  | { kind: 'cond'; test: Node; then: Node; otherwise?: Node; pos: number }
  /** `x.split(',')`: a method of a string, list or dict, from a fixed table (methods.ts). */
  | { kind: 'method'; object: Node; name: string; args: Node[]; pos: number }
  /** `range(3)`, `lookup('env', 'HOME')`: a global function from a fixed table. */
  | { kind: 'call'; name: string; args: Node[]; kwargs: Kwarg[]; pos: number }
  /** `m(1)`, `m.render(x)`, `loop(children)`, `caller()`: a value a template made callable (macro, loop, import). */
  | { kind: 'invoke'; callee: Node; args: Node[]; kwargs: Kwarg[]; pos: number }
  /** `x[1:3]`, `x[::-1]`: Python's slice of a list or string. */
  | { kind: 'slice'; object: Node; start?: Node; stop?: Node; step?: Node; pos: number };

export type Kwarg = { name: string; value: Node };

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

/** The dotted text of a name/member chain, for error messages ("result.stdout"). */
export function pathText(node: Node): string {
  if (node.kind === 'name') return node.name;
  if (node.kind === 'member') {
    const base = pathText(node.object);
    if (node.key.kind === 'literal' && typeof node.key.value === 'string' && /^[A-Za-z_]\w*$/.test(node.key.value)) return `${base}.${node.key.value}`;
    if (node.key.kind === 'literal') return `${base}[${JSON.stringify(node.key.value)}]`;
    return `${base}[...]`;
  }
  return '(expression)';
}
