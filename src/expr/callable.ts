// Values a template can call: macros, a recursive loop's `loop`, `caller`, `super`, an imported
// template's macros. They are made by the template engine; the evaluator only knows this shape, so
// conditions (`when:`) never see one unless a template hands it over.

export abstract class JinjaCallable {
  /** What the template calls it, for errors ("macro 'row'"). */
  abstract readonly label: string;
  abstract call(args: unknown[], kwargs: Record<string, unknown>): unknown;
}

/** Jinja2's namespace(): the one object a `{% set ns.attr = ... %}` may change from an inner scope. */
export class Namespace {
  constructor(init: Record<string, unknown>) {
    Object.assign(this, init);
  }
}
