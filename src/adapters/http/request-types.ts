import type { FastifyTypeProvider } from 'fastify';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/**
 * A route's request types (params, querystring, headers, body) made from its JSON schemas, so
 * that no route writes them out again beside the schemas that validate them (ADR 0043). Replies
 * stay as the handlers build them: the response schemas shape what is sent (fast-json-stringify
 * drops what they do not name), and typing replies from them would make every read-only array and
 * interface of the application a compile error without making an answer more right.
 */
export interface RequestTypesFromSchemas extends FastifyTypeProvider {
  readonly validator: this['schema'] extends JSONSchema ? FromSchema<this['schema']> : unknown;
  readonly serializer: unknown;
}
