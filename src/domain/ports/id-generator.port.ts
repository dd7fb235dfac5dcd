export interface IdGenerator {
  /** A new id matching the API's id pattern. */
  newId(): string;
}
