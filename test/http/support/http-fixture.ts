import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { Application, BackendPorts } from '../../../src/application/application.js';
import { buildHttpApp, type ApiTokens, type HttpDeps } from '../../../src/adapters/http/build-http-app.js';

export interface CreateApplicationOptions {
  /** Lets a test wrap or replace ports (a disconnected BackendStatus, a captured ParkedAggregates). */
  readonly wrapPorts?: (ports: BackendPorts) => BackendPorts;
}

/** Makes a new, not yet started application over some backend; the fixture starts and stops it. */
export type CreateApplication = (options?: CreateApplicationOptions) => Promise<Application>;

export interface StartOptions extends CreateApplicationOptions {
  readonly apiTokens?: ApiTokens;
  readonly logger?: HttpDeps['logger'];
}

export interface HttpHarness {
  readonly http: FastifyInstance;
  readonly application: Application;
  readonly metrics: Registry;
}

export interface HttpFixture {
  /** An HTTP app over a started application; stopped by `stopAll`. */
  start(options?: StartOptions): Promise<HttpHarness>;
  stopAll(): Promise<void>;
}

/** The same suites run on every backend: each gives its own `createApplication`. */
export const httpFixture = (createApplication: CreateApplication): HttpFixture => {
  const running: HttpHarness[] = [];
  return {
    async start(options = {}) {
      const application = await createApplication(options.wrapPorts ? { wrapPorts: options.wrapPorts } : {});
      await application.start();
      const metrics = new Registry();
      const http = await buildHttpApp({
        application,
        metrics,
        ...(options.apiTokens ? { apiTokens: options.apiTokens } : {}),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      });
      await http.ready();
      const harness = { http, application, metrics };
      running.push(harness);
      return harness;
    },
    async stopAll() {
      for (const { http, application } of running.splice(0)) {
        await http.close();
        await application.stop();
      }
    },
  };
};
