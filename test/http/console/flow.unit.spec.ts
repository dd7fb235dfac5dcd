import { describe, expect, it } from 'vitest';
import { FlowRecorder } from '../../../src/adapters/http/flow.js';

describe('the flow recorder', () => {
  it('counts answers per second and series, and forgets seconds that left the window', () => {
    let now = 1_000_000_500;
    const flow = new FlowRecorder(() => now, 5);
    flow.record('command', 'deposit', 'accepted');
    flow.record('command', 'deposit', 'accepted');
    flow.record('query', 'get-account', 'ok');
    now += 1_000;
    flow.record('command', 'deposit', 'insufficient-funds');
    flow.record('command', 'deposit', 'accepted');

    const first = flow.snapshot();
    expect(first).toMatchObject({ stepSeconds: 1, seconds: 5, endsAt: new Date(now).toISOString() });
    expect(first.series).toEqual([
      { kind: 'command', name: 'deposit', outcome: 'accepted', counts: [0, 0, 0, 2, 1], total: 3 },
      { kind: 'command', name: 'deposit', outcome: 'insufficient-funds', counts: [0, 0, 0, 0, 1], total: 1 },
      { kind: 'query', name: 'get-account', outcome: 'ok', counts: [0, 0, 0, 1, 0], total: 1 },
    ]);

    // Four seconds on, the first second has left the five-second window; a slot reused is reset.
    now += 4_000;
    flow.record('command', 'deposit', 'accepted');
    expect(flow.snapshot().series).toEqual([
      { kind: 'command', name: 'deposit', outcome: 'accepted', counts: [1, 0, 0, 0, 1], total: 2 },
      { kind: 'command', name: 'deposit', outcome: 'insufficient-funds', counts: [1, 0, 0, 0, 0], total: 1 },
    ]);
    now += 10_000;
    expect(flow.snapshot().series).toEqual([]);
  });
});
