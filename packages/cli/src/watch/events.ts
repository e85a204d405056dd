/**
 * What `ptnad watch` follows and what it emits: the BQL query of each kind (`attacks` = FROM alert, `flows` =
 * FROM flow) and the event objects made from its rows. Every event carries `type` and its stable `id` (the alert
 * id or the flow id), so a receiver can de-duplicate after a crash repeated a batch.
 */

/** The kinds `ptnad watch` follows. */
export const WATCH_KINDS = ['attacks', 'flows'] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];

const COLUMNS: Record<WatchKind, { table: string; type: string; columns: string[] }> = {
  attacks: {
    table: 'alert',
    type: 'alert',
    columns: [
      'id',
      'ts',
      'parent',
      'sid',
      'gid',
      'rev',
      'msg',
      'cls',
      'pr',
      'attacker.ip',
      'victim.ip',
      'to_server',
      'att_ck',
      'malware_family',
      'false_positive',
    ],
  },
  flows: {
    table: 'flow',
    type: 'flow',
    columns: [
      'id',
      'start',
      'end',
      'proto',
      'app_proto',
      'src.ip',
      'src.port',
      'dst.ip',
      'dst.port',
      'bytes.total',
      'pkts.total',
      'criticality',
    ],
  },
};

/** A watched event: `{ type, id, ...fields }` with dotted BQL names nested (`attacker.ip` → `attacker: { ip }`). */
export type WatchEvent = { type: string; id: string } & Record<string, unknown>;

/** The BQL query of a kind with an optional filter (already checked to parse). */
export function watchQuery(kind: WatchKind, filter: string | undefined): string {
  const { table, columns } = COLUMNS[kind];
  const where = filter && filter.trim() !== '' ? ` WHERE ${filter}` : '';
  return `SELECT ${columns.join(', ')} FROM ${table}${where}`;
}

/** One event from a row object keyed by column name. */
export function toEvent(kind: WatchKind, row: Record<string, unknown>): WatchEvent {
  const event: Record<string, unknown> = { type: COLUMNS[kind].type };
  for (const [key, value] of Object.entries(row)) {
    const parts = key.split('.');
    let target = event;
    for (const p of parts.slice(0, -1)) {
      let next = target[p];
      if (next === null || typeof next !== 'object') {
        next = {};
        target[p] = next;
      }
      target = next as Record<string, unknown>;
    }
    target[parts[parts.length - 1] as string] = value;
  }
  event.id = String(row.id);
  return event as WatchEvent;
}

/** The event's time field (`ts` for alerts, `end` for flows). */
export function eventTime(e: WatchEvent): string | undefined {
  const t = e.type === 'alert' ? e.ts : e.end;
  return typeof t === 'string' ? t : undefined;
}
