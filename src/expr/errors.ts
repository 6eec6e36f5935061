// Errors raised while evaluating an expression, before the caller adds where the expression is.

/** Thrown by a filter, test, method or function on a wrong input; the evaluator adds the position. */
export class FilterError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** An evaluation problem at `pos` (0-based) in the expression's source. */
export class EvalProblem extends Error {
  constructor(
    message: string,
    readonly pos: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}
