import { PROJECTION_NAMES } from '../../../domain/ports/read-model-generations.port.js';
import { AGGREGATE_TYPES } from '../../../domain/shared/event-envelope.js';
import { LIMIT, idSchema, timestamp } from '../schemas.js';

/** JSON Schemas of the operations on the read side: projections, parked aggregates, rebuilds. */

export const parkedParams = {
  type: 'object',
  required: ['projection', 'aggregateId'],
  properties: { projection: idSchema, aggregateId: idSchema },
} as const;

export const parkedQuery = { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', ...LIMIT } } } as const;

export const projectionStatusResponse = {
  type: 'object',
  required: ['running', 'shards', 'projections'],
  description: 'Projection status of this process: checkpoint and lag per shard, counters per projection',
  properties: {
    running: { type: 'boolean' },
    shards: {
      type: 'array',
      items: {
        type: 'object',
        required: ['shard', 'owned', 'checkpoint', 'headSequence', 'lagEvents', 'lagSeconds', 'overruns'],
        properties: {
          shard: { type: 'integer', minimum: 0 },
          owned: { type: 'boolean', description: 'Whether this process projects the shard now' },
          checkpoint: { type: 'integer', minimum: 0, description: 'Next sequence to project' },
          headSequence: { type: 'integer', minimum: 0, description: 'Next sequence the shard will hold' },
          lagEvents: { type: 'integer', minimum: 0 },
          lagSeconds: { type: 'number', minimum: 0 },
          overruns: { type: 'integer', minimum: 0, description: 'Times the reader fell off the buffer and recovered from the log' },
          lastError: { type: 'string' },
        },
      },
    },
    projections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'applied', 'duplicates', 'parked'],
        properties: {
          name: { type: 'string' },
          applied: { type: 'integer', minimum: 0 },
          duplicates: { type: 'integer', minimum: 0 },
          parked: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
} as const;

export const parkedListResponse = {
  type: 'object',
  required: ['items'],
  description: 'Aggregates whose view a projection could not update; their events wait until retried',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['projection', 'aggregateType', 'aggregateId', 'version', 'reason', 'parkedAt'],
        properties: {
          projection: { type: 'string' },
          aggregateType: { type: 'string', enum: AGGREGATE_TYPES },
          aggregateId: { type: 'string' },
          version: { type: 'integer', minimum: 1, description: 'The version the projection failed on' },
          reason: { type: 'string' },
          parkedAt: timestamp,
        },
      },
    },
  },
} as const;

export const retryParkedResponse = {
  type: 'object',
  required: ['projection', 'aggregateId', 'outcome'],
  description: 'caught-up: the view is current again; parked-again: the event still cannot be applied',
  properties: {
    projection: { type: 'string' },
    aggregateId: { type: 'string' },
    outcome: { type: 'string', enum: ['caught-up', 'parked-again'] },
  },
} as const;

export const projectionParams = {
  type: 'object',
  required: ['projection'],
  properties: { projection: { type: 'string', enum: PROJECTION_NAMES } },
} as const;

export const rebuildQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    force: {
      type: 'string',
      enum: ['true', 'false'],
      description: 'true takes over a rebuild that a process which died left half done',
    },
  },
} as const;

export const rebuildStatusResponse = {
  type: 'object',
  required: ['projection', 'generation', 'state', 'total', 'replayed', 'startedAt', 'eventsPerSecond'],
  description:
    'A rebuild replays the event log into a fresh generation of the projection while queries read the active one; ' +
    'when it is done the new generation becomes active in every instance.',
  properties: {
    projection: { type: 'string', enum: PROJECTION_NAMES },
    generation: { type: 'integer', description: 'The generation being built' },
    state: { type: 'string', enum: ['running', 'completed', 'failed'] },
    total: { type: 'integer', description: 'Events in the log when the rebuild started' },
    replayed: { type: 'integer' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    eventsPerSecond: { type: 'integer' },
    etaSeconds: { type: 'integer' },
    error: { type: 'string' },
  },
} as const;

