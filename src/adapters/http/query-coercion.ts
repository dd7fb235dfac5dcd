import type { FastifyInstance } from 'fastify';

const INTEGER = /^(0|-?[1-9][0-9]{0,15})$/;

interface QuerySchema {
  readonly properties?: Readonly<Record<string, { readonly type?: unknown }>>;
}

/**
 * Validation never coerces types, so that a body's `"amount": "10"` is refused. Query strings are
 * text by nature: a parameter the route's schema declares integer is turned into a number here
 * when it is one, and left as text otherwise so that the schema refuses it (`limit=abc` is 400).
 */
export const registerQueryCoercion = (app: FastifyInstance): void => {
  app.addHook('preValidation', async (request) => {
    const properties = (request.routeOptions.schema?.querystring as QuerySchema | undefined)?.properties;
    const query = request.query as Record<string, unknown> | undefined;
    if (!properties || !query) return;
    for (const [name, property] of Object.entries(properties)) {
      const value = query[name];
      if (property.type === 'integer' && typeof value === 'string' && INTEGER.test(value)) query[name] = Number(value);
    }
  });
};
