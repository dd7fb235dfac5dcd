import { PROJECTION_NAMES } from '../../../domain/ports/read-model-generations.port.js';
import { AGGREGATE_TYPES } from '../../../domain/shared/event-envelope.js';
import { parkedListResponse, rebuildStatusResponse } from '../admin/admin.schemas.js';

/** JSON Schemas of the console's data routes (scope admin); they also shape the OpenAPI document. */

const count = { type: 'integer', minimum: 0 } as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;

export const eventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
} as const;

const flow = {
  type: 'object',
  required: ['endsAt', 'stepSeconds', 'seconds', 'series'],
  description: 'Answers per second over the last minutes, by command or query and outcome, as this instance served them',
  properties: {
    endsAt: timestamp,
    stepSeconds: { type: 'integer', enum: [1] },
    seconds: count,
    series: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'name', 'outcome', 'counts', 'total'],
        properties: {
          kind: { type: 'string', enum: ['command', 'query'] },
          name: { type: 'string' },
          outcome: { type: 'string', description: 'accepted, replayed or a problem name for commands; ok or a problem name for queries' },
          counts: { type: 'array', items: count, description: 'One per second, oldest first' },
          total: count,
        },
      },
    },
  },
} as const;

const projections = {
  type: 'object',
  required: ['running', 'shards', 'projections'],
  properties: {
    running: { type: 'boolean' },
    shards: {
      type: 'array',
      description: 'The shard that lags most first',
      items: {
        type: 'object',
        required: ['shard', 'ownedHere', 'checkpoint', 'head', 'lagEvents'],
        properties: {
          shard: count,
          owner: { type: 'string', description: 'The instance holding the shard lease; absent while nobody does' },
          ownedHere: { type: 'boolean' },
          checkpoint: { ...count, description: 'Next sequence to project' },
          head: { ...count, description: 'Next sequence the shard will hold' },
          lagEvents: count,
          lagSeconds: { type: 'number', minimum: 0, description: 'Known to the owner; absent elsewhere while the shard lags' },
          overruns: count,
          lastError: { type: 'string' },
        },
      },
    },
    projections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'applied', 'duplicates', 'parked', 'generations'],
        properties: {
          name: { type: 'string', enum: PROJECTION_NAMES },
          applied: count,
          duplicates: count,
          parked: count,
          generations: {
            type: 'object',
            required: ['active'],
            properties: { active: count, building: count },
          },
          rebuild: { ...rebuildStatusResponse, description: 'The last rebuild this instance ran' },
        },
      },
    },
  },
} as const;

const cluster = {
  type: 'object',
  required: ['connected', 'connectionEpoch'],
  properties: {
    connected: { type: 'boolean' },
    detail: { type: 'string' },
    connectionEpoch: { ...count, description: 'Grows each time this instance lost the backend' },
    error: { type: 'string', description: 'Why the backend could not be described now' },
    backend: {
      type: 'object',
      required: ['kind', 'members', 'buffers'],
      properties: {
        kind: { type: 'string', enum: ['memory', 'hazelcast'] },
        members: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'address'],
            properties: { id: { type: 'string' }, address: { type: 'string' }, version: { type: 'string' } },
          },
        },
        buffers: {
          type: 'array',
          description: 'One per event shard: the sequences head..tail its ringbuffer holds',
          items: {
            type: 'object',
            required: ['shard', 'name', 'head', 'tail', 'capacity'],
            properties: { shard: count, name: { type: 'string' }, head: { type: 'integer' }, tail: { type: 'integer' }, capacity: count },
          },
        },
        writeThrough: {
          type: 'object',
          required: ['target'],
          properties: {
            target: { type: 'string' },
            lastError: {
              type: 'object',
              required: ['at', 'operation', 'message'],
              properties: { at: timestamp, operation: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  },
} as const;

export const consoleOverviewResponse = {
  type: 'object',
  required: ['at', 'instance', 'flow', 'projections', 'parked', 'cluster'],
  description: 'Everything the console shows but the recent events and lookups, as this instance sees it now',
  properties: {
    at: timestamp,
    instance: { type: 'string', description: 'This instance: the owner name its projection leases carry' },
    flow,
    projections,
    parked: parkedListResponse,
    cluster,
  },
} as const;

export const recentEventsResponse = {
  type: 'object',
  required: ['items'],
  description: 'The newest published events of every shard, newest first',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['shard', 'sequence', 'eventType', 'aggregateType', 'aggregateId', 'version', 'timestamp'],
        properties: {
          shard: count,
          sequence: count,
          eventType: { type: 'string' },
          aggregateType: { type: 'string', enum: AGGREGATE_TYPES },
          aggregateId: { type: 'string' },
          version: { type: 'integer', minimum: 1 },
          timestamp: timestamp,
        },
      },
    },
  },
} as const;

export const lookupResponse = {
  type: 'object',
  required: ['aggregateType', 'aggregateId', 'streamVersion', 'viewVersion', 'events'],
  description: "An aggregate's event stream and its view side by side: a view below the stream's version lags it",
  properties: {
    aggregateType: { type: 'string', enum: AGGREGATE_TYPES },
    aggregateId: { type: 'string' },
    streamVersion: count,
    viewVersion: { ...count, description: '0 while there is no view' },
    events: {
      type: 'array',
      description: 'The newest events of the stream (at most 200), oldest first',
      items: {
        type: 'object',
        required: ['version', 'eventType', 'timestamp', 'data'],
        properties: { version: { type: 'integer', minimum: 1 }, eventType: { type: 'string' }, timestamp: timestamp, data: anyObject },
      },
    },
    view: { ...anyObject, description: 'The view as the active generation of the read model holds it' },
    parked: { ...parkedListResponse.properties.items.items, description: 'Present while a projection has parked the aggregate' },
  },
} as const;
