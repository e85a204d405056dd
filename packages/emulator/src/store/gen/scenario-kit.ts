/**
 * Shared pieces of the flow scenarios: the scenario signature, endpoint pickers, occasional alerts and file
 * downloads carried over HTTP.
 */
import type { FlowRecord } from '../types.js';
import { type FileExt, makeFile } from './files.js';
import { addAlert, append, type GenCtx, ruleFor } from './flow-base.js';
import { type Peer, peersOf, type Role } from './network.js';
import { addHttp } from './protocols.js';

/** Builds one flow starting at `start`. */
export type Scenario = (c: GenCtx, start: number) => FlowRecord;

/**
 * A scenario with its weight (flows per ~10,000) and the public example filters it exists for: a test checks that
 * each of those filters returns flows this scenario made.
 */
export interface ScenarioDef {
  name: string;
  make: Scenario;
  weight: number;
  /** Filters (BQL WHERE text) this scenario's flows are planted to answer. */
  examples: readonly string[];
}

/** A random workstation. */
export const ws = (c: GenCtx): Peer => c.rng.pick(c.net.workstations);
/** A random server of a role. */
export const role = (c: GenCtx, r: Role): Peer => c.rng.pick(peersOf(c.net, r));

/** Adds an alert of a rule with the tag that fits the flow (and `filter`, if given). */
export function alertTag(c: GenCtx, f: FlowRecord, tag: string, filter?: Parameters<typeof ruleFor>[3]): void {
  const rule = ruleFor(c, f, tag, filter);
  if (rule) addAlert(c, f, rule);
}

/** Adds an alert of every rule with the tag that fits the flow (a session can trip several rules). */
export function alertAll(c: GenCtx, f: FlowRecord, tag: string): void {
  for (const rule of c.rules.byTag.get(tag) ?? []) {
    if (ruleFor(c, f, tag, (r) => r === rule)) addAlert(c, f, rule);
  }
}

/** Sometimes (rate) adds an alert of a rule with the tag that fits the flow. */
export function maybeAlert(c: GenCtx, flow: FlowRecord, tag: string, rate: number): void {
  if (!c.rng.chance(rate)) return;
  alertTag(c, flow, tag);
}

const DOWNLOAD_NAMES: Record<FileExt, readonly string[]> = {
  exe: ['ChromeSetup.exe', 'setup.exe', 'AnyDesk.exe', 'invoice_0423.exe', 'npp.8.6.Installer.x64.exe'],
  dll: ['version.dll', 'msvcp140.dll'],
  deb: ['google-chrome-stable_120.0.6099.71-1_amd64.deb', 'code_1.85.1-1702462158_amd64.deb'],
  pdf: ['report_q3.pdf', 'invoice-88213.pdf', 'manual.pdf'],
  zip: ['archive.zip', 'documents.zip', 'logs-2024.zip'],
  docx: ['contract.docx', 'CV_Ivanov.docx'],
  xlsm: ['salary_2024.xlsm'],
  msi: ['AnyDesk.msi', 'GoogleChromeStandaloneEnterprise64.msi', 'zoom_x64.msi'],
  png: ['logo.png', 'banner.png'],
  js: ['jquery.min.js', 'bundle.js'],
  ps1: ['install.ps1', 'update.ps1'],
};

/** Adds a downloaded file (and the HTTP transaction that carried it). */
export function addDownload(c: GenCtx, f: FlowRecord, ext: FileExt, name?: string): void {
  const { rng } = c;
  const filename = name ?? rng.pick(DOWNLOAD_NAMES[ext]);
  const host = f.dst.dns ?? f.dst.ip;
  const t = addHttp(c, f, {
    method: 'GET',
    host,
    url: `/download/${filename}`,
    code: 200,
    rspType: 'application/octet-stream',
  });
  c.fileNo++;
  append(
    f,
    'files',
    makeFile(rng, {
      flowId: f.id,
      filename,
      filepath: `/download/${filename}`,
      ext,
      size: rng.logInt(400, 48_000),
      toClient: true,
      txId: t.tx_id,
      index: f._index,
      fileNo: c.fileNo,
    }),
  );
}
