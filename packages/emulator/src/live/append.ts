/**
 * The one place live mode adds flows to the emulator's store. The live storage serves `dataset.flows` itself, so
 * pushing there makes the rows visible to BQL; `flowsById` serves the flow and alert detail routes.
 * When the store gets a time index, this is the function to point at its indexed append.
 */
import type { App } from '../app.js';
import type { FlowRecord } from '../store/dataset.js';

/** Appends newly visible flows to the live storage. */
export function appendLiveFlows(app: App, flows: readonly FlowRecord[]): void {
  for (const f of flows) {
    app.dataset.flows.push(f);
    app.flowsById.set(f.id, f);
  }
}
