import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Application } from './application/application.js';
import { EventLoopWatchdog } from './adapters/system/event-loop-watchdog.js';
import { ConfigError, loadConfig, type Config } from './composition/config.js';
import { buildContainer } from './composition/container.js';
import { TOKENS, type Backend } from './composition/tokens.js';

const main = async (): Promise<void> => {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`hzcqrs: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  // Before anything that talks to the cluster: a client that spins must not take the host's memory.
  const watchdog = config.watchdogStallMs > 0 ? EventLoopWatchdog.start({ stallMs: config.watchdogStallMs, name: 'hzcqrs' }) : undefined;
  const container = buildContainer(config);
  const logger = container.get(TOKENS.RootLogger);
  let backend: Backend;
  let application: Application;
  let http: FastifyInstance;
  try {
    backend = await container.getAsync(TOKENS.Backend);
    application = await container.getAsync(TOKENS.Application);
    http = await container.getAsync(TOKENS.HttpServer);
  } catch (error) {
    process.stderr.write(`hzcqrs: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  await application.start();
  try {
    await http.listen({ port: config.port, host: config.host });
  } catch (error) {
    process.stderr.write(`hzcqrs: cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}\n`);
    await application.stop();
    await backend.close();
    process.exit(1);
  }
  logger.info({ backend: config.backend, auth: config.apiTokens ? 'tokens' : 'open' }, 'hzcqrs serving');
  onShutdown(logger, async () => {
    // Stop taking requests and let those in hand finish, then the background work, then the backend.
    await http.close();
    await application.stop();
    await backend.close();
    await watchdog?.stop();
  });
};

const onShutdown = (logger: PinoLogger, drain: () => Promise<void>): void => {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining before exit');
    drain().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'drain failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};

await main();
