import { buildZip, uniqueZipNames } from '../lib/zip.js';
import type { TaskOutcome } from '../state/tasks.js';
import { fileBytes } from '../store/dataset.js';
import type { FileRecord, FlowRecord } from '../store/types.js';

/**
 * The work of a `sources/getfile` task: a ZIP of the flows' extracted files (only those whose md5 is in `md5`,
 * when given). Partial results list what was not found in `errors`; nothing found at all is a FAILURE.
 */
export function extractFiles(
  flows: readonly FlowRecord[],
  md5: readonly string[] | null,
  missingFlows: readonly string[],
  url: string,
): TaskOutcome {
  const wanted = md5 ? new Set(md5.map((m) => m.toLowerCase())) : null;
  const files: FileRecord[] = flows
    .flatMap((f) => f.files)
    .filter((file) => !wanted || wanted.has(file.md5.toLowerCase()));
  const errors = missingFlows.map((id) => `Flow ${id} was not found.`);
  if (wanted) {
    const found = new Set(files.map((f) => f.md5.toLowerCase()));
    for (const m of wanted) if (!found.has(m)) errors.push(`No file with md5 ${m} in the requested flows.`);
  }
  if (files.length === 0) {
    return { ok: false, reason: errors.length > 0 ? errors.join(' ') : 'The requested flows have no extracted files.' };
  }
  const names = uniqueZipNames(files.map((f) => f.filename));
  const zip = buildZip(
    files.map((file, i) => ({
      name: names[i] ?? file.id,
      data: fileBytes(file),
      modified: new Date(flows.find((f) => f.id === file.parent)?.start ?? 0),
    })),
  );
  const total = wanted ? Math.max(wanted.size, files.length) : files.length;
  return { ok: true, zip, result: { url, total_files: total, extracted_files: files.length, errors } };
}
