import type { IdGenerator } from '../../src/domain/ports/id-generator.port.js';

export class SequentialIds implements IdGenerator {
  private next = 0;

  constructor(private readonly prefix = 'id') {}

  newId(): string {
    return `${this.prefix}${(this.next++).toString().padStart(6, '0')}`;
  }
}
