/** Runs every ```ts and ```sh block of the English guides (docs/guide/*.md); see test/docs/runner.ts. */
import { describeGuides } from './guides.js';

describeGuides('en');
