// Which judging mode carries the stage's asks: realtime/ (calls paced within the account's
// limits) or batch/ (the Batch API: half price, results within a day), on the same Dispatcher
// base. A realtime run that finds batches an earlier run left pending collects them through the
// batch mode without submitting any.
import { BatchDispatcher, type BatchDispatcherOptions } from './batch/batch-dispatcher.ts';
import type { Dispatcher } from './dispatcher.ts';
import { takesClassicParameters } from './model-params.ts';
import { RealtimeDispatcher, type RealtimeOptions } from './realtime/realtime-dispatcher.ts';

export type JudgingMode = 'realtime' | 'batch';

/** What the batch mode needs beyond a realtime dispatcher. */
export type BatchSetup = Omit<
  BatchDispatcherOptions,
  'realtime' | 'submit' | keyof RealtimeOptions
>;

export type DispatcherSetup = { readonly mode: JudgingMode; readonly model: string } & Omit<
  RealtimeOptions,
  'probe'
> & { readonly batch?: BatchSetup };

export function createDispatcher(setup: DispatcherSetup): Dispatcher {
  // A model whose parameters are not known for certain gets one call alone first: its refusals
  // are learned once instead of by every call in flight.
  const probe = !takesClassicParameters(setup.model);
  const { batch, ...rest } = setup;
  const collects = (batch?.adopted.length ?? 0) > 0;
  if (!batch || (setup.mode === 'realtime' && !collects))
    return new RealtimeDispatcher({ ...rest, probe });
  // The inner realtime dispatcher never probes: the batch dispatcher's own probe goes through it.
  const realtime = new RealtimeDispatcher({ ...rest, probe: false });
  return new BatchDispatcher({
    ...rest,
    ...batch,
    probe,
    realtime,
    submit: setup.mode === 'batch',
  });
}
