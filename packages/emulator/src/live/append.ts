/**
 * The one place live mode adds flows to the emulator's store: through the app's indexed append, so that the rows
 * become visible to BQL with the time indexes kept correct, to `sources/save` and to the detail routes by id.
 */
import type { App } from '../app.js';
import type { FlowRecord } from '../store/dataset.js';

/** Appends newly visible flows to the live storage. */
export function appendLiveFlows(app: App, flows: readonly FlowRecord[]): void {
  app.appendFlows(flows);
}
