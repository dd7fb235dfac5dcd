/** A refusal with a stable code from a closed list: what a transport maps to its own answer. */
export abstract class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    // Each family of codes is its own subclass, named as its class is.
    this.name = new.target.name;
  }
}
