// Loaded into every program a docs block starts (NODE_OPTIONS=--import=...): when PTNAD_DOCS_CLOCK is set, the
// process's clock starts at that instant and runs on at the real pace, so `Date.now()`, `new Date()` and the
// emulator's dataset agree and shown outputs (dates, "last 24 hours" windows) are the same on every run.
const pinned = Date.parse(process.env.PTNAD_DOCS_CLOCK ?? '');
if (!Number.isNaN(pinned)) {
  const RealDate = Date;
  const offset = pinned - RealDate.now();
  class PinnedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = PinnedDate;
}
