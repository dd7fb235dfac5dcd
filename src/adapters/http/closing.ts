import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problems/problem-error.js';

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
  // A request in hand when closing began is answered, then its kept-alive connection is closed:
  // the server's close waits for every connection, and an idle one would hold it open.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
};
