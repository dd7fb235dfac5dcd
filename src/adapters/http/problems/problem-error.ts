import type { ProblemName } from './problem-catalog.js';

/** A refusal decided in the HTTP adapter itself (bad header, missing token): answered as its problem. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';

  constructor(
    readonly problem: ProblemName,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}
