/**
 * Extracted files: their records and their bytes. A file's bytes are a pure function of (id, size, mime): a
 * type-specific header followed by seeded noise, so `md5`/`sha256`/`size` in the record are the real digests of
 * what `fileBytes` returns, and the server can build ZIP downloads without storing any content.
 */
import { createHash } from 'node:crypto';
import type { FileRecord } from '../types.js';
import { esId, hashString, type Rng } from './random.js';

/** [extension, mime, magic (libmagic text), header bytes] */
type FileKind = readonly [string, string, string, string];

const KINDS: readonly FileKind[] = [
  [
    'exe',
    'application/x-dosexec',
    'PE32 executable (GUI) Intel 80386, for MS Windows',
    'MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff',
  ],
  [
    'dll',
    'application/x-dosexec',
    'PE32+ executable (DLL) (GUI) x86-64, for MS Windows',
    'MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff',
  ],
  [
    'deb',
    'application/vnd.debian.binary-package',
    'Debian binary package (format 2.0)',
    '!<arch>\ndebian-binary   1700000000  0     0     100644  4         `\n2.0\n',
  ],
  ['pdf', 'application/pdf', 'PDF document, version 1.7', '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'],
  ['zip', 'application/zip', 'Zip archive data, at least v2.0 to extract', 'PK\x03\x04\x14\x00\x00\x00\x08\x00'],
  [
    'docx',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'Microsoft Word 2007+',
    'PK\x03\x04\x14\x00\x06\x00\x08\x00',
  ],
  [
    'xlsm',
    'application/vnd.ms-excel.sheet.macroEnabled.12',
    'Microsoft Excel 2007+',
    'PK\x03\x04\x14\x00\x06\x00\x08\x00',
  ],
  [
    'png',
    'image/png',
    'PNG image data, 800 x 600, 8-bit/color RGBA, non-interlaced',
    '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR',
  ],
  [
    'msi',
    'application/x-msi',
    'Composite Document File V2 Document, MSI Installer',
    '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00\x00\x00\x00\x00',
  ],
  ['js', 'text/javascript', 'ASCII text, with very long lines', '/*! bundle */\n(function(){'],
  ['ps1', 'text/plain', 'ASCII text, with CRLF line terminators', '$ErrorActionPreference = "SilentlyContinue"\r\n'],
];

const KIND_BY_MIME = new Map(KINDS.map((k) => [k[1], k]));
const KIND_BY_EXT = new Map(KINDS.map((k) => [k[0], k]));

/** Extensions the generator may name files with. */
export type FileExt = 'exe' | 'dll' | 'msi' | 'deb' | 'pdf' | 'zip' | 'docx' | 'xlsm' | 'png' | 'js' | 'ps1';

/**
 * The bytes of an extracted file: deterministic from its id, size and mime; the record's hashes are theirs.
 * @example createHash('md5').update(fileBytes(file)).digest('hex') === file.md5
 */
export function fileBytes(file: Pick<FileRecord, 'id' | 'size' | 'mime'>): Buffer {
  return writeFileBytes(file, new Uint32Array(Math.ceil(file.size / 4)));
}

/** {@link fileBytes} written into `noise` (at least `ceil(size / 4)` words), as a view of its first `size` bytes. */
function writeFileBytes(file: Pick<FileRecord, 'id' | 'size' | 'mime'>, noise: Uint32Array): Buffer {
  const size = file.size;
  const words = Math.ceil(size / 4);
  let x = hashString(file.id) || 0x1234567;
  for (let i = 0; i < words; i++) {
    // xorshift32: fast and plenty for filler bytes.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    noise[i] = x >>> 0;
  }
  const out = Buffer.from(noise.buffer, 0, size);
  const header = KIND_BY_MIME.get(file.mime)?.[3];
  if (header !== undefined) out.write(header.slice(0, size), 0, 'latin1');
  return out;
}

// The bytes a new file record is hashed from are not kept: one buffer, grown as needed, serves every file (a
// fresh one per file left tens of thousands of dead buffers per million flows for the GC to find).
let scratch = new Uint32Array(16_384);

/** The bytes of a file being created, in the shared scratch buffer (valid until the next call). */
function scratchBytes(file: Pick<FileRecord, 'id' | 'size' | 'mime'>): Buffer {
  const words = Math.ceil(file.size / 4);
  if (scratch.length < words) scratch = new Uint32Array(words);
  return writeFileBytes(file, scratch);
}

/** What the caller knows about a file when creating it. */
export interface FileSpec {
  flowId: string;
  filename: string;
  filepath: string;
  ext: FileExt;
  size: number;
  toClient: boolean;
  txId: number;
  index: string;
  fileNo: number;
}

/** A file record whose md5/sha256 are computed from its bytes. */
export function makeFile(rng: Rng, spec: FileSpec): FileRecord {
  const kind = KIND_BY_EXT.get(spec.ext);
  if (kind === undefined) throw new Error(`unknown file kind ${spec.ext}`);
  const id = esId(rng);
  const mime = kind[1];
  const bytes = scratchBytes({ id, size: spec.size, mime });
  return {
    _index: spec.index,
    // The fixture shows `_ndx` equal to `_index` (a string such as "offline-000023").
    _ndx: spec.index,
    file_id: spec.fileNo,
    filename: spec.filename,
    filepath: spec.filepath,
    id,
    magic: kind[2],
    md5: createHash('md5').update(bytes).digest('hex'),
    mime,
    offset: 0,
    parent: spec.flowId,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: spec.size,
    stag: null,
    state: 'closed',
    to_client: spec.toClient,
    to_server: !spec.toClient,
    tx_id: spec.txId,
    _type: { name: 'files', parent: spec.flowId },
    _parent_id: spec.flowId,
  };
}
