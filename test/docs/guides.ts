/**
 * The vitest side of the guide runner: one `describe` per guide with a fresh emulator, one test per block in
 * file order, and the `no-run:` budget. Split per language into two test files so they run in parallel.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  for (const { file, plan } of plans) {
    if (plan.blocks.length === 0) continue;
    describe.sequential(file, () => {
      let session: GuideSession | undefined;
      beforeAll(async () => {
        session = await GuideSession.start(file);
      });
      afterAll(async () => {
        await session?.close();
      });
      for (const block of plan.blocks) {
        it(`line ${block.fence.line}: \`\`\`${block.fence.info}`, { timeout: 90_000 }, async () => {
          if (!session) throw new Error('the emulator did not start');
          const failure = await session.check(block);
          if (failure) throw new Error(failure);
        });
      }
    });
  }
}
