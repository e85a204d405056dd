/**
 * The vitest side of the guide runner: one `describe` per guide with a fresh emulator, one test per block in
 * file order, and the `no-run:` budget. Split per language into two test files so they run in parallel.
 */

import { describe, expect, it } from 'vitest';
import { GuideSession, guideFiles, NO_RUN_BUDGET_PER_LANGUAGE, planGuide } from './runner.js';

export function describeGuides(lang: 'en' | 'ru'): void {
  const files = guideFiles(lang);
  const plans = files.map((file) => ({ file, plan: planGuide(file) }));

  describe(`${lang} guides: authoring rules`, () => {
    it('every fence is well-formed (no unknown attributes, no bash/typescript spellings)', () => {
      expect(plans.flatMap((p) => p.plan.problems)).toEqual([]);
    });
    it(`no-run markers stay within the budget of ${NO_RUN_BUDGET_PER_LANGUAGE}`, () => {
      const noRun = plans.flatMap((p) => p.plan.noRun);
      const list = noRun.map((n) => `${n.file}:${n.line} no-run:${n.reason}`).join('\n');
      expect(noRun.length, `no-run markers (${noRun.length}):\n${list}`).toBeLessThanOrEqual(
        NO_RUN_BUDGET_PER_LANGUAGE,
      );
    });
  });

  // One test per guide: its blocks run in order against the guide's own emulator, and every failing block is
  // reported (file, line, info string, and why). Guides run concurrently: a block mostly waits on its child
  // process, and vitest gives a 2-core machine a single worker.
  for (const { file, plan } of plans) {
    if (plan.blocks.length === 0) continue;
    const budget = 60_000 + plan.blocks.length * 60_000;
    it.concurrent(`${file}: ${plan.blocks.length} block(s)`, { timeout: budget }, async () => {
      const session = await GuideSession.start(file);
      const failures: string[] = [];
      try {
        for (const block of plan.blocks) {
          const failure = await session.check(block);
          if (failure) failures.push(failure);
        }
      } finally {
        await session.close();
      }
      if (failures.length > 0) throw new Error(`${failures.length} block(s) failed:\n\n${failures.join('\n\n')}`);
    });
  }
}
