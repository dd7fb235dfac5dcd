import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem-error.js';

/**
 * Once the app is closing, a request that still arrives (on a kept-alive connection) is answered
 * 503 like any other unavailability, as problem details, and its connection is closed.
 */
export const registerClosingRefusal = (app: FastifyInstance): void => {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new HttpProblem('unavailable', 'the service is shutting down; retry on another instance', {}, { connection: 'close' });
  });
};
