import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from './problems/problem-error.js';
import type { Scope } from './route-config.js';

export type ApiTokens = ReadonlyMap<string, ReadonlySet<Scope>>;

/** Who called: the scopes of the token, and an opaque id that scopes its idempotency keys. */
export interface Caller {
  readonly principal: string;
  readonly scopes: ReadonlySet<Scope>;
}

const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];
/** RFC 6750 b64token characters: what a Bearer header can carry. */
const TOKEN = /^[A-Za-z0-9._~+/=-]{16,256}$/;
const BEARER = /^Bearer +(\S+) *$/i;
const CHALLENGE = 'Bearer realm="hzcqrs"';

/**
 * `token:scope[+scope],token2:scope`. The message names API_TOKENS and what it accepts, never the
 * value: it holds secrets.
 */
export const parseApiTokens = (value: string): ApiTokens => {
  const tokens = new Map<string, ReadonlySet<Scope>>();
  const entries = value.split(',');
  entries.forEach((entry, index) => {
    const separator = entry.lastIndexOf(':');
    const token = entry.slice(0, Math.max(separator, 0)).trim();
    const scopes = entry.slice(separator + 1).trim().split('+');
    if (separator < 0 || !TOKEN.test(token) || tokens.has(token) || !scopes.every((s) => SCOPES.includes(s as Scope))) {
      throw new Error(
        `API_TOKENS must be a comma-separated list of token:scope[+scope], tokens of 16..256 characters A-Z a-z 0-9 . _ ~ + / = -, ` +
          `each once, scopes read, write, admin (entry ${index + 1} of ${entries.length} is not)`,
      );
    }
    tokens.set(token, new Set(scopes as Scope[]));
  });
  return tokens;
};

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Checks bearer tokens in constant time: every known digest is compared, whatever matched. */
export class BearerTokens {
  private readonly known: readonly { readonly digest: Buffer; readonly caller: Caller }[];

  constructor(tokens: ApiTokens) {
    this.known = [...tokens].map(([token, scopes]) => ({
      digest: digest(token),
      caller: { principal: createHash('sha256').update(`idempotency-scope\0${token}`).digest('hex').slice(0, 32), scopes },
    }));
  }

  identify(authorization: string | undefined): Caller | undefined {
    const presented = BEARER.exec(authorization ?? '')?.[1];
    if (presented === undefined) return undefined;
    const candidate = digest(presented);
    let found: Caller | undefined;
    for (const entry of this.known) if (timingSafeEqual(entry.digest, candidate)) found = entry.caller;
    return found;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller (request-state.ts). */
    caller: Caller | null;
  }
}

/** The authenticated caller; undefined when the API is open (no tokens configured). */
export const callerOf = (request: FastifyRequest): Caller | undefined => request.caller ?? undefined;

/**
 * Every request but the `public` routes needs a known token (401), and the route's scope (403);
 * routes that declare none need `read`. An unmatched path needs a known token, any scope.
 */
export const registerBearerAuth = (app: FastifyInstance, tokens: ApiTokens): void => {
  const bearer = new BearerTokens(tokens);
  app.addHook('onRequest', async (request) => {
    const required = request.is404 ? undefined : (request.routeOptions.config.scope ?? 'read');
    if (required === 'public') return;
    const caller = bearer.identify(request.headers.authorization);
    if (!caller) {
      const invalid = request.headers.authorization === undefined ? '' : ', error="invalid_token"';
      throw new HttpProblem('unauthorized', 'send Authorization: Bearer <token> with a known token', {}, {
        'www-authenticate': `${CHALLENGE}${invalid}`,
      });
    }
    request.caller = caller;
    if (required !== undefined && !caller.scopes.has(required)) {
      throw new HttpProblem('forbidden', `this request needs a token with the ${required} scope`, { requiredScope: required });
    }
  });
};
