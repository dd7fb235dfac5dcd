import { accountDecider, transferStepKnowledge, type AccountState, type TransferStepRecord } from '../../domain/account/account.js';
import type { AccountEvent } from '../../domain/account/account.events.js';
import { DomainError, type DomainErrorCode } from '../../domain/shared/domain-error.js';
import {
  evolveTransfer,
  nextTransferAction,
  recordStepApplied,
  recordStepRefused,
  settlement,
  stepEventId,
  transferDecider,
  type TransferAction,
  type TransferState,
} from '../../domain/transfer/transfer.js';
import type { TransferEvent } from '../../domain/transfer/transfer.events.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { AggregateRepository } from '../shared/aggregate-repository.js';
import type { CommandExecutor } from '../shared/command-executor.js';
import type { Logger } from '../ports/logger.port.js';

/** Debit, credit, refund: a transfer ends in three steps at most. */
const MAX_STEPS = 3;

/**
 * Runs transfers: debit `from`, credit `to`, give the debit back when the credit is refused.
 *
 * Each step is decided once, by the account it is on: it is applied, or declined with an event of
 * its own, at the account's next version like any command, and the account keeps the steps it
 * decided. A retry, or another process advancing the same transfer, finds the outcome there (or in
 * the log, for a step older than what the account keeps) and never decides it again. The transfer's
 * stream records only its end, once, in one event for all its steps. No step needs an expected
 * version, so no step is sent round again by the commands that land meanwhile.
 * See docs/adr/0029-account-decides-transfer-steps.md.
 */
export class TransferProcessManager {
  private readonly running = new Map<string, Promise<TransferState>>();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly transfers: AggregateRepository<TransferState, TransferEvent>,
    private readonly accounts: AggregateRepository<AccountState, AccountEvent>,
    private readonly log: EventLog,
    private readonly logger: Logger,
  ) {}

  /**
   * Records a new transfer (`TransferRequested`) and starts advancing it in the background. The
   * versions the two accounts had reached are what this process remembers (it may lag, which only
   * makes a retry read more of the log; a remembered account exists), else their snapshots or logs:
   * 0 only for an account that does not exist. An existing id makes the append conflict.
   */
  async start(transferId: string, input: { readonly from: string; readonly to: string; readonly amount: number }): Promise<void> {
    const [from, to] = await Promise.all([input.from, input.to].map((id) => this.executor.rememberedOrLoaded(this.accounts, 'account', id)));
    const request = { type: 'RequestTransfer', ...input, fromVersion: from!.version, toVersion: to!.version } as const;
    await this.executor.execute(this.transfers, 'transfer', transferId, (loaded) => transferDecider.decide(request, loaded.state), {
      correlationId: transferId,
      expectNew: true,
    });
    this.kick(transferId);
  }

  /** Starts advancing a transfer in the background; failures are retried by the reconciler. */
  kick(transferId: string): void {
    this.advance(transferId).catch((error: unknown) =>
      this.logger.error({ transferId, err: error }, 'transfer could not advance; the reconciler will resume it'),
    );
  }

  /** Advances a transfer until it has ended; one run per transfer in this process at a time. */
  advance(transferId: string): Promise<TransferState> {
    const current = this.running.get(transferId);
    if (current) return current;
    const run = this.run(transferId).finally(() => this.running.delete(transferId));
    this.running.set(transferId, run);
    return run;
  }

  /** Resolves once every transfer advancing in this process has stopped. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Takes the steps from where the transfer's stream stands until it has ended, then records the
   * end in one event. A run that dies before recording leaves the transfer pending, and the next
   * run asks the accounts again, which answer with the steps they decided.
   */
  private async run(transferId: string): Promise<TransferState> {
    // What this process last wrote of the transfer, or the store: a stale state only makes the
    // settlement's append conflict, and the executor's catch-up then finds the transfer's head.
    const transfer = await this.executor.rememberedOrLoaded(this.transfers, 'transfer', transferId);
    let state = transfer.state;
    if (state.status !== 'pending') return state;
    const outcomes: TransferEvent[] = [];
    for (let action = nextTransferAction(transferId, state); action; action = nextTransferAction(transferId, state)) {
      if (outcomes.length >= MAX_STEPS) throw new Error(`transfer ${transferId} did not end in ${MAX_STEPS} steps`);
      const outcome = await this.decideStep(transferId, action);
      outcomes.push(outcome);
      state = evolveTransfer(state, outcome);
    }
    const settled = settlement(state, outcomes);
    const executed = await this.executor.execute(this.transfers, 'transfer', transferId, (loaded) => transferDecider.decide({ type: 'SettleTransfer', settlement: settled }, loaded.state), {
      correlationId: transferId,
    });
    return executed.loaded.state;
  }

  /** Has the account decide the step (or finds how it decided it before), and tells the transfer's event for it. */
  private async decideStep(transferId: string, action: TransferAction): Promise<TransferEvent> {
    // The account did not exist when the transfer was accepted: that decided the step already.
    if (action.absent) return recordStepRefused(action.step, 'ACCOUNT.NOT_FOUND');
    const eventId = stepEventId(transferId, action.step);
    let inLog: TransferStepRecord | undefined;
    let executed;
    try {
      executed = await this.executor.execute(
        this.accounts,
        'account',
        action.accountId,
        async (loaded) => {
          inLog = undefined;
          const known = transferStepKnowledge(loaded.state, loaded.version, transferId, action.step, action.notBefore);
          if (known.kind === 'look-in-log') {
            const events = await this.log.read('account', action.accountId, known.fromVersion, known.toVersion);
            const found = events.find((event) => event.eventId === eventId);
            if (found) {
              inLog = { transferId, step: action.step, version: found.version, ...declinedCode(found) };
              return [];
            }
          }
          return accountDecider.decide(action.command, loaded.state);
        },
        { eventId, correlationId: transferId },
      );
    } catch (error) {
      // Only a transfer accepted before the versions were recorded reaches an account that does not exist.
      if (error instanceof DomainError && error.code === 'ACCOUNT.NOT_FOUND' && action.step !== 'refund') return recordStepRefused(action.step, error.code);
      throw error;
    }
    const { state, version } = executed.loaded;
    const record = inLog ?? (executed.event ? undefined : decidedStep(state, version, transferId, action));
    const decided = record ?? { version: executed.event?.version ?? version, ...declinedCode(executed.event) };
    if (decided.declined) return recordStepRefused(action.step, decided.declined);
    return recordStepApplied(action.step, decided.version, state.status === 'none' ? '' : state.currency);
  }
}

/** The step's record in the account state, which must know it once the account decided nothing. */
const decidedStep = (state: AccountState, version: number, transferId: string, action: TransferAction): TransferStepRecord => {
  const known = transferStepKnowledge(state, version, transferId, action.step, action.notBefore);
  if (known.kind !== 'decided') throw new Error(`account ${action.accountId} decided nothing for ${transferId}.${action.step}, yet does not know it`);
  return known.record;
};

/** The refusal's code when the event is a declined step. */
const declinedCode = (event: { readonly eventType: string; readonly data: unknown } | undefined): { readonly declined?: DomainErrorCode } => {
  if (!event || (event.eventType !== 'TransferDebitDeclined' && event.eventType !== 'TransferCreditDeclined')) return {};
  return { declined: (event.data as { readonly code: DomainErrorCode }).code };
};
