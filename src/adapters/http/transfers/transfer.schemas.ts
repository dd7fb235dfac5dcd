import { TRANSFER_STATUSES } from '../../../domain/ports/read-model.port.js';
import { amountSchema, idSchema, location } from '../schemas.js';

/** JSON Schemas of the transfer routes. */

export const transferParams = { type: 'object', required: ['transferId'], properties: { transferId: idSchema } } as const;

export const transferBody = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'amount'],
  properties: {
    from: idSchema,
    to: idSchema,
    amount: amountSchema,
    transferId: { ...idSchema, description: 'Made by the server when absent' },
  },
} as const;

export const transferAcceptedResponse = {
  type: 'object',
  required: ['transferId'],
  properties: { transferId: idSchema },
  description: 'Accepted; carried out asynchronously (GET the Location for its status)',
  headers: location,
} as const;

export const transferResponse = {
  type: 'object',
  required: ['transferId', 'from', 'to', 'amount', 'status'],
  properties: {
    transferId: idSchema,
    from: idSchema,
    to: idSchema,
    amount: amountSchema,
    status: { type: 'string', enum: TRANSFER_STATUSES },
    reason: {
      type: 'string',
      description: 'Only when failed: source-… (the debit was refused) or destination-… (the credit was refused and the debit given back)',
    },
  },
  description: 'The transfer as the read model holds it; may be 404 for a moment after its 202',
} as const;

