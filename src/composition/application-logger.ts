import type { Logger as PinoLogger } from 'pino';
import type { Logger } from '../application/ports/logger.port.js';

export const applicationLogger = (logger: PinoLogger): Logger => ({
  info: (context, message) => logger.info(context, message),
  warn: (context, message) => logger.warn(context, message),
  error: (context, message) => logger.error(context, message),
});
