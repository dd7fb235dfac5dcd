import type { FastifyReply } from 'fastify';
import type { ViewStaleness } from '../../domain/ports/read-model.port.js';

/**
 * A view whose aggregate a projection parked still answers, and says so: the body keeps the
 * contract's shape, a `Warning` header tells the reader the view stopped before `failedAt`.
 */
export const warnIfStale = (reply: FastifyReply, stale: ViewStaleness | undefined): FastifyReply =>
  stale ? reply.header('warning', `199 hzcqrs "stale: version ${stale.failedAt} could not be applied; the view is parked"`) : reply;
