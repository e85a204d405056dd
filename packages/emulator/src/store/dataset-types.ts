/**
 * Record types of the dataset's smaller collections (rules, classes, lists, groups, sensors, storages, triggers,
 * hosts) and of the dataset itself. These hold wire-ready values (ISO strings), because routes serialise them
 * nearly as they are. Re-exported by types.ts.
 */
import type { AlertSignature, FlowRecord } from './types.js';

// ------------------------------------------------------------------ reference data (wire-ready values)

/** A signature class (§11): `name` is the Snort classtype, `title` what alerts show as `cls`. */
export interface ClassRecord {
  name: string;
  title: string;
  priority: number;
}

/** A detection rule as `GET signatures/rules` shows it (base state, before any pending change). */
export interface RuleRecord {
  sid: number;
  gid: number;
  rev: number;
  msg: string;
  vendor: 'ETOpen' | 'PTSecurity';
  /** Class title. */
  cls: string;
  /** Snort classtype name. */
  classtype: string;
  priority: number;
  enabled: boolean;
  action: 'alert' | 'drop' | 'pass' | 'reject';
  /** Full rule text. */
  rule: string;
  src_adr: string;
  dst_adr: string;
  has_redef: boolean;
  has_exceptions: boolean;
  has_error: boolean;
  /** `+` added, `*` updated, `-` removed, `=` unchanged (12.2+ `diff` filter). */
  diff: '+' | '*' | '-' | '=';
  created: string;
  modified: string;
  /** The shared signature block alerts of this rule carry. */
  signature: AlertSignature;
}

/** One item of a reputation list. */
export interface ReplistItem {
  value: string;
  attrs: Record<string, string>;
  /** ISO with Z. */
  modified: string;
}

/** A reputation list with its items (the wire `content` is the items' values joined by "\n"). */
export interface ReplistRecord {
  id: number;
  name: string;
  type: 'ip' | 'dn' | 'uri' | 'md5';
  color: string;
  description: string;
  /** Set for dynamic (API-managed) lists. */
  external_key: string | null;
  vendor: { name: string } | null;
  created: string;
  modified: string;
  items: ReplistItem[];
}

/** An IP or port group (`HOME_NET`, `HTTP_PORTS`, ...). */
export interface VariableRecord {
  id: number;
  name: string;
  type: 'ip' | 'port';
  value: string;
  comment: string;
  created: string;
  modified: string;
}

/** A ptdpi sensor module. Field names are a GUESS (no source shows them). */
export interface SensorRecord {
  id: number;
  name: string;
  hostname: string;
  ip: string;
  status: 'green' | 'yellow' | 'red' | 'unknown';
  version: string;
  interfaces: string[];
  rules_count: number;
  rules_hashsum: string;
  filters: string[];
  last_seen: string;
}

/** A storage (source). `flowIds` is null for the live storage (it holds every flow). */
export interface StorageRecord {
  id: number;
  name: string;
  description: string;
  start: string;
  end: string;
  last_import: string;
  created: string;
  modified: string;
  files_count: number;
  volume: number;
  is_live: boolean;
  username: string;
  flowIds: string[] | null;
}

/** A monitoring trigger (§4.2). */
export interface TriggerRecord {
  id: string;
  type: 'audit' | 'updates' | 'stats' | 'license';
  status: 'unknown' | 'green' | 'yellow' | 'red';
  template: string;
  vars: Record<string, string | number>;
  /** ISO with microseconds and Z. */
  updated: string;
}

/** An asset-inventory host derived from the flows' endpoints. */
export interface HostRecord {
  /** A numeric string, the same value flows carry as `src.host_id` / `dst.host_id`. */
  id: string;
  ip: Array<{ ip: string; first_seen: string; last_seen: string }>;
  hostname: string | null;
  user_hostname: string | null;
  dns: Array<{ dns: string; first_seen: string; last_seen: string }>;
  os: Array<{ name: string; first_seen: string; last_seen: string }>;
  server_services: Array<{ protocol: string; port: number; banner: string | null; last_seen: string }>;
  client_services: Array<{ protocol: string; banner: string | null; last_seen: string }>;
  credentials: Array<{ login: string; protocol: string; last_seen: string }>;
  type: string | null;
  user_type: string | null;
  roles: string[];
  groups: string[];
  first_seen: string;
  last_seen: string;
  comment: string | null;
  has_redef: boolean;
}

/** Everything the emulator serves, generated from (seed, now). */
export interface Dataset {
  seed: number;
  /** Epoch ms of `now`. */
  now: number;
  /** Sorted by `start` ascending. */
  flows: FlowRecord[];
  classes: ClassRecord[];
  rules: RuleRecord[];
  replists: ReplistRecord[];
  variables: VariableRecord[];
  sensors: SensorRecord[];
  storages: StorageRecord[];
  triggers: TriggerRecord[];
  hosts: HostRecord[];
}

/** Options of {@link Dataset} generation. */
export interface DatasetOptions {
  seed: number;
  flows: number;
  now: Date;
  /** Called with each new flow and the name of the scenario that made it (tests check scenario coverage). */
  onFlow?: (flow: FlowRecord, scenario: { name: string; examples: readonly string[] }) => void;
}
