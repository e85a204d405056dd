/**
 * `node:fs/promises`, loaded on first use. Loading it (with the readline and directory-watching code behind it)
 * costs a few ms, and most programs never save a file through the SDK (issue 13: one-shot scripts).
 */
export function fsPromises(): typeof import('node:fs/promises') {
  return process.getBuiltinModule('node:fs/promises');
}
