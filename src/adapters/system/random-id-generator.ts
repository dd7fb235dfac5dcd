import { randomBytes } from 'node:crypto';
import type { IdGenerator } from '../../domain/ports/id-generator.port.js';

/** 128 random bits, base64url: 22 characters within the API's id pattern. */
export class RandomIdGenerator implements IdGenerator {
  newId(): string {
    return randomBytes(16).toString('base64url');
  }
}
