import { describe, expect, it } from 'vitest';
import { evolveAccountView } from '../../src/application/projections/account-view.js';
import { foldStreams } from '../../src/application/projections/fold-streams.js';
import type { AccountView } from '../../src/domain/ports/read-model.port.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { envelope } from '../contracts/contract-events.js';

const opened = (id: string): EventEnvelope => envelope('account', id, 1, { eventType: 'AccountOpened', data: { owner: 'o', currency: 'KRW' } });
const deposit = (id: string, version: number, amount: number): EventEnvelope => envelope('account', id, version, { eventType: 'MoneyDeposited', data: { amount } });

describe('foldStreams (a rebuild folds each stream it read)', () => {
  it('folds every stream that is whole from version 1, and leaves whole the others: a gap, a late start, an event the view refuses', () => {
    const whole = [opened('a'), deposit('a', 2, 5), deposit('a', 3, 7)];
    const gap = [opened('b'), deposit('b', 3, 5)];
    const late = [deposit('c', 2, 5)];
    const poison = [opened('d'), envelope('account', 'd', 2, { eventType: 'NoSuchEvent' })];
    const single = [opened('e')];
    const { views, left } = foldStreams<AccountView>([whole, gap, late, poison, single], evolveAccountView);
    expect([...views.keys()]).toEqual(['a', 'e']);
    expect(views.get('a')).toMatchObject({ accountId: 'a', balance: 12, version: 3 });
    expect(views.get('e')).toMatchObject({ balance: 0, version: 1 });
    expect(left).toStrictEqual([gap, late, poison]);
  });

  it('lets a bug in the fold through: only a refused event leaves a stream to the usual path', () => {
    expect(() =>
      foldStreams([[opened('a')]], () => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
  });
});
