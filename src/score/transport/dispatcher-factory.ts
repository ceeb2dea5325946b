// Which judging mode carries the stage's asks. Realtime is the one built; a batch mode (the
// Batch API: half price, results within a day) joins here as its own folder beside realtime/,
// on the same Dispatcher base.
import type { Dispatcher } from './dispatcher.ts';
import { takesClassicParameters } from './model-params.ts';
import { RealtimeDispatcher, type RealtimeOptions } from './realtime/realtime-dispatcher.ts';

export type JudgingMode = 'realtime';

export type DispatcherSetup = { readonly mode: JudgingMode; readonly model: string } & Omit<
  RealtimeOptions,
  'probe'
>;

export function createDispatcher(setup: DispatcherSetup): Dispatcher {
  // A model whose parameters are not known for certain gets one call alone first: its refusals
  // are learned once instead of by every call in flight.
  return new RealtimeDispatcher({ ...setup, probe: !takesClassicParameters(setup.model) });
}
