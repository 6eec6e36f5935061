// Turns a parsed YAML document into plain JS values, applying Ansible's scalar rules, refusing
// duplicate keys, and recording every container's and entry's location for later errors.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { locOf, recordEntryLoc, recordLoc, recordOctalSource } from './locs.js';
import { isOctalSource, plainScalar, taggedScalar } from './scalars.js';

/**
 * Values that aliases may bring into one file. Real playbooks share a few small anchors;
 * nested aliases ("billion laughs") reach millions and would stall every later walk.
 */
export const MAX_ALIASED_VALUES = 100_000;

export class Converter {
  /** Anchored nodes convert once, so aliases cannot blow up ("billion laughs"). */
  private readonly done = new Map<Node, unknown>();
  /** How many values each node stands for once aliases are expanded (memoized per node). */
  private readonly sizes = new Map<Node, number>();
  /** Values brought in by aliases so far; later walks (templating, JSON) see them expanded. */
  private aliased = 0;

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  at(offset: number): SourceLoc {
    const p = this.lines.linePos(offset);
    return { file: this.file, line: p.line, col: p.col };
  }

  private nodeLoc(node: Node): SourceLoc {
    return this.at(node.range?.[0] ?? 0);
  }

  convert(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw new InputError(`unknown alias *${node.source}`, this.nodeLoc(node), 'define the anchor (&name) before using it');
      this.aliased += this.expandedSize(target);
      if (this.aliased > MAX_ALIASED_VALUES) {
        throw new InputError(
          `YAML aliases here expand to more than ${MAX_ALIASED_VALUES} values; alias expansion is capped`,
          this.nodeLoc(node),
          'aliases that repeat aliases grow exponentially; write the data out, or anchor a smaller part',
        );
      }
      return this.convert(target);
    }
    const n = node as Node;
    if (this.done.has(n)) return this.done.get(n);
    let value: unknown;
    if (isScalar(n)) value = this.scalar(n);
    else if (isMap(n)) value = this.map(n);
    else if (isSeq(n)) value = this.seq(n);
    else throw new InputError('unsupported YAML node', this.nodeLoc(n));
    this.done.set(n, value);
    return value;
  }

  /** Values `node` stands for with aliases expanded; computed once per node, so it is linear. */
  private expandedSize(node: unknown): number {
    if (isAlias(node)) return this.expandedSize(node.resolve(this.doc));
    if (!isMap(node) && !isSeq(node)) return 1;
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    this.sizes.set(node, 1); // a self-referencing anchor counts once rather than looping
    let size = 1;
    for (const item of node.items as unknown[]) {
      if (isSeq(node)) size += this.expandedSize(item);
      else {
        const pair = item as { key: unknown; value: unknown };
        size += this.expandedSize(pair.key) + this.expandedSize(pair.value);
      }
    }
    this.sizes.set(node, size);
    return size;
  }

  private scalar(node: Scalar): unknown {
    const loc = this.nodeLoc(node);
    if (node.tag) return taggedScalar(node.tag, node.value, node.source, loc);
    if (node.type === 'PLAIN' && typeof node.source === 'string') return plainScalar(node.source, node.value, loc);
    return node.value;
  }

  private keyName(key: unknown, mapLoc: SourceLoc): string {
    if (isScalar(key)) {
      if (key.value === null || key.value === undefined) throw new InputError('empty mapping key', this.nodeLoc(key));
      // Keys stay as written (`yes:` is the key "yes"), as runbook never needs boolean keys.
      return key.type === 'PLAIN' && typeof key.source === 'string' ? key.source : String(key.value);
    }
    const loc = key && typeof key === 'object' && 'range' in key ? this.nodeLoc(key as Node) : mapLoc;
    throw new InputError('a mapping key must be a plain value', loc, 'a value that starts with "{{" must be quoted: msg: "{{ name }}"');
  }

  private map(node: YAMLMap): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const self = this.nodeLoc(node);
    recordLoc(out, self);
    const firstSeen = new Map<string, SourceLoc>();
    const merges: unknown[] = [];
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.type === 'PLAIN' && pair.key.source === '<<') {
        merges.push(pair.value);
        continue;
      }
      const key = this.keyName(pair.key, self);
      const keyLoc = isScalar(pair.key) ? this.nodeLoc(pair.key) : self;
      const first = firstSeen.get(key);
      if (first) {
        throw new InputError(`duplicate key '${key}' (first at line ${first.line})`, keyLoc, 'remove one of them; YAML keeps only the last and Ansible would silently lose the first');
      }
      firstSeen.set(key, keyLoc);
      const v = pair.value as Node | null;
      const emptyValue = v === null || (isScalar(v) && v.value === null && !v.source);
      define(out, key, this.convert(v));
      recordEntryLoc(out, key, emptyValue || !v ? keyLoc : this.nodeLoc(v), keyLoc);
      if (isScalar(v) && !v.tag && v.type === 'PLAIN' && typeof v.source === 'string' && isOctalSource(v.source)) recordOctalSource(out, key, v.source);
    }
    for (const m of merges) this.merge(out, m, self);
    return out;
  }

  /** YAML merge keys (`<<: *base`): explicit keys win, then earlier sources over later. */
  private merge(out: Record<string, unknown>, source: unknown, at: SourceLoc): void {
    const sources = isSeq(source) ? source.items : [source];
    for (const s of sources) {
      const value = this.convert(s);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new InputError('a merge key (<<) needs a mapping or a list of mappings', at);
      }
      for (const [k, v] of Object.entries(value)) {
        if (Object.prototype.hasOwnProperty.call(out, k)) continue;
        define(out, k, v);
        const loc = locOf(value, k);
        if (loc) recordEntryLoc(out, k, loc);
      }
    }
  }

  private seq(node: YAMLSeq): unknown[] {
    const out: unknown[] = [];
    recordLoc(out, this.nodeLoc(node));
    node.items.forEach((item, i) => {
      out.push(this.convert(item));
      if (item && typeof item === 'object' && 'range' in item) recordEntryLoc(out, i, this.nodeLoc(item as Node));
    });
    return out;
  }
}

/** Plain assignment would treat a `__proto__` key specially; users' keys are just data. */
function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
