import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problems/problem-error.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * `application/json` is the only body the API reads (any other non-empty body is 415). An empty
 * body parses to nothing, so the route's schema decides whether one was needed. `__proto__` and `constructor`
 * keys are refused at parse time, before any object is built from them.
 */
export const registerJsonBodies = (app: FastifyInstance): void => {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // No route: the answer is 404 whatever the body holds.
    if (text.trim().length === 0 || request.is404) {
      done(null, undefined);
      return;
    }
    parse(request, text, (error, value) => {
      if (!error) {
        done(null, value);
        return;
      }
      done(new HttpProblem('validation', wellFormed(text) ? 'request bodies may not hold __proto__ or constructor keys' : 'the body is not valid JSON'), undefined);
    });
  });
  // Nothing to refuse in an empty body, whatever its type; the route's schema decides if one was needed.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if (body.length === 0 || request.is404) done(null, undefined);
    else done(new HttpProblem('unsupported-media-type', 'the body must be application/json'), undefined);
  });
};

const wellFormed = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
