/** The output formats of `--output` (a module of its own: main() needs the list before any output code). */
export const OUTPUT_FORMATS = ['table', 'json', 'jsonl', 'csv'] as const;
/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
