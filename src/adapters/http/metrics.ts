import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Application, CommandStatistics } from '../../application/application.js';
import { FlowRecorder } from './flow.js';
import { wasReplayed } from './idempotency.js';
import { problemAnswered } from './problems/problem-reply.js';

/**
 * The app's metrics, on the registry it was given (never the global one: several apps may live in
 * one process). Projection figures are read from the application when scraped.
 */
export class HttpMetrics {
  private readonly commands: Counter<'command' | 'outcome'>;
  private readonly queries: Histogram<'query'>;

  constructor(
    readonly registry: Registry,
    application: Application,
    /** The same answers, per second over the last minutes, for the operations console. */
    readonly flow = new FlowRecorder(),
  ) {
    const registers = [registry];
    const status = () => application.administration.status();
    this.commands = new Counter({
      name: 'hzcqrs_commands_total',
      help: 'Commands answered, by outcome: accepted, replayed (an Idempotency-Key retry), or the problem type',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.queries = new Histogram({
      name: 'hzcqrs_query_duration_seconds',
      help: 'Time to answer a query, waits for minVersion included',
      labelNames: ['query'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    new Counter({
      name: 'hzcqrs_events_projected_total',
      help: 'Events applied to the read model by this process, by projection',
      labelNames: ['projection'],
      registers,
      collect() {
        this.reset();
        for (const projection of status().projections) this.inc({ projection: projection.name }, projection.applied);
      },
    });
    new Gauge({
      name: 'hzcqrs_projection_lag_events',
      help: 'Events of a shard not projected yet, for the shards this process projects',
      labelNames: ['shard'],
      registers,
      collect() {
        this.reset();
        for (const shard of status().shards) if (shard.owned) this.set({ shard: String(shard.shard) }, shard.lagEvents);
      },
    });
    new Gauge({
      name: 'hzcqrs_projection_lag_seconds',
      help: 'Age of the oldest event of a shard not projected yet, for the shards this process projects',
      labelNames: ['shard'],
      registers,
      collect() {
        this.reset();
        for (const shard of status().shards) if (shard.owned) this.set({ shard: String(shard.shard) }, shard.lagSeconds);
      },
    });
    const commandCounter = (name: string, help: string, of: (statistics: CommandStatistics) => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(of(application.commandStatistics()));
        },
      });
    };
    commandCounter('hzcqrs_events_appended_total', 'Events appended by the commands of this process', (s) => s.appended);
    commandCounter(
      'hzcqrs_append_conflicts_total',
      'Appends of this process that found their version taken by another process, and were decided again',
      (s) => s.conflicts,
    );
    commandCounter(
      'hzcqrs_commands_queued_total',
      'Commands that waited for another command of this process on the same aggregate to end',
      (s) => s.queued,
    );
    if (!registry.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics({ register: registry });
  }

  /** Counts commands and times queries as their answers go out. */
  instrument(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const { command, query } = request.routeOptions.config;
      if (command) {
        const outcome = outcomeOf(request, reply);
        this.commands.inc({ command, outcome });
        this.flow.record('command', command, outcome);
      }
      if (query) {
        this.queries.observe({ query }, reply.elapsedTime / 1000);
        this.flow.record('query', query, reply.statusCode < 400 ? 'ok' : (problemAnswered(request) ?? 'internal'));
      }
    });
  }
}

const outcomeOf = (request: FastifyRequest, reply: FastifyReply): string => {
  if (wasReplayed(request)) return 'replayed';
  const problem = problemAnswered(request);
  if (problem) return problem;
  return reply.statusCode < 400 ? 'accepted' : 'internal';
};
