/** Runs every ```ts and ```sh block of the Russian guides (docs/ru/guide/*.md); see test/docs/runner.ts. */
import { describeGuides } from './guides.js';

describeGuides('ru');
