/**
 * How a session looks on the wire: PT flow flags (`FINISHED`, `MISSED_START`, `MISSED_END`), the state list,
 * the TCP flags seen each way, and packet counts that agree with them. A handshake needs a SYN each way, a clean
 * close a FIN, a reset an RST; a session captured mid-stream has no SYN, one cut off by the capture no FIN; a
 * refused connection is one SYN answered by an RST, a half-open scan SYN / SYN-ACK / RST, an unanswered probe one
 * SYN. The `errors` values are Suricata stream-event names (a GUESS: no public source shows the field filled).
 */
import type { Rng } from './random.js';

/** What happened to a session. */
export type TcpShape = 'full' | 'reset' | 'missed_start' | 'missed_end' | 'refused' | 'halfopen' | 'probe';

const freeze = (...xs: string[]): string[] => Object.freeze(xs) as unknown as string[];

/** Everything about a shape except the counts. */
export interface ShapeInfo {
  flags: string[];
  state: string[];
  tcp: { flags: string[]; flags_tc: string[]; flags_ts: string[] } | null;
  /** Minimum packets client to server and server to client. */
  minSent: number;
  minRecv: number;
  /** Exact packet counts for the handshake-only shapes (no payload). */
  fixed: readonly [number, number] | null;
  /** True when the session carries payload (an application protocol can be detected). */
  payload: boolean;
}

const FINISHED = freeze('FINISHED');
const EST_FIN = freeze('ESTABLISHED', 'FINISHED');
const tcpOf = (ts: string[], tc: string[]) =>
  Object.freeze({
    flags: freeze(...[...new Set([...ts, ...tc])].sort(order)),
    flags_tc: freeze(...tc),
    flags_ts: freeze(...ts),
  });
const RANK = ['SYN', 'ACK', 'PSH', 'FIN', 'RST'];
const order = (a: string, b: string) => RANK.indexOf(a) - RANK.indexOf(b);

/** The shapes (shared, frozen: flows only read them). */
export const SHAPES: Readonly<Record<TcpShape, ShapeInfo>> = {
  full: {
    flags: FINISHED,
    state: EST_FIN,
    tcp: tcpOf(['SYN', 'ACK', 'PSH', 'FIN'], ['SYN', 'ACK', 'PSH', 'FIN']),
    minSent: 4,
    minRecv: 3,
    fixed: null,
    payload: true,
  },
  reset: {
    flags: FINISHED,
    state: EST_FIN,
    tcp: tcpOf(['SYN', 'ACK', 'PSH'], ['SYN', 'ACK', 'PSH', 'RST']),
    minSent: 3,
    minRecv: 3,
    fixed: null,
    payload: true,
  },
  missed_start: {
    flags: freeze('FINISHED', 'MISSED_START'),
    state: EST_FIN,
    tcp: tcpOf(['ACK', 'PSH', 'FIN'], ['ACK', 'PSH', 'FIN']),
    minSent: 2,
    minRecv: 2,
    fixed: null,
    payload: true,
  },
  missed_end: {
    flags: freeze('MISSED_END'),
    state: freeze('ESTABLISHED'),
    tcp: tcpOf(['SYN', 'ACK', 'PSH'], ['SYN', 'ACK', 'PSH']),
    minSent: 3,
    minRecv: 2,
    fixed: null,
    payload: true,
  },
  refused: {
    flags: FINISHED,
    state: FINISHED,
    tcp: tcpOf(['SYN'], ['ACK', 'RST']),
    minSent: 1,
    minRecv: 1,
    fixed: [1, 1],
    payload: false,
  },
  halfopen: {
    flags: FINISHED,
    state: FINISHED,
    tcp: tcpOf(['SYN', 'RST'], ['SYN', 'ACK']),
    minSent: 2,
    minRecv: 1,
    fixed: [2, 1],
    payload: false,
  },
  probe: {
    flags: FINISHED,
    state: FINISHED,
    tcp: tcpOf(['SYN'], []),
    minSent: 1,
    minRecv: 0,
    fixed: [1, 0],
    payload: false,
  },
};

/** UDP has no handshake: one state, no TCP block. */
export const UDP_SHAPE: ShapeInfo = {
  flags: FINISHED,
  state: FINISHED,
  tcp: null,
  minSent: 1,
  minRecv: 0,
  fixed: null,
  payload: true,
};

/** The usual mix of a TCP session's fate: mostly clean, some resets, some cut by the capture window. */
export function drawShape(rng: Rng): ShapeInfo {
  const r = rng.next();
  if (r < 0.04) return SHAPES.missed_start;
  if (r < 0.07) return SHAPES.missed_end;
  if (r < 0.1) return SHAPES.reset;
  return SHAPES.full;
}

/** Packet and byte counts of a session, as {@link countsFor} gives them. */
export interface Counts {
  pktsSent: number;
  pktsRecv: number;
  sent: number;
  recv: number;
}

// countsFor's answer: one object, overwritten by every call (a new one per flow was garbage within microseconds).
const COUNTS: Counts = { pktsSent: 0, pktsRecv: 0, sent: 0, recv: 0 };

/**
 * Packet and byte counts that fit the shape: payload bytes plus 54-byte headers per packet. The answer is valid
 * until the next call (read it at once).
 */
export function countsFor(rng: Rng, shape: ShapeInfo, payloadSent: number, payloadRecv: number): Readonly<Counts> {
  const out = COUNTS;
  if (shape.fixed !== null) {
    const [ps, pr] = shape.fixed;
    out.pktsSent = ps;
    out.pktsRecv = pr;
    out.sent = ps * 60;
    out.recv = pr * 58;
    return out;
  }
  const seg = rng.int(400, 1400);
  const pktsSent = packets(payloadSent, shape.minSent, seg);
  const pktsRecv = packets(payloadRecv, shape.minRecv, seg);
  out.pktsSent = pktsSent;
  out.pktsRecv = pktsRecv;
  out.sent = payloadSent + 54 * pktsSent;
  out.recv = payloadRecv + 54 * pktsRecv;
  return out;
}

/** Data segments of `seg` bytes plus the control packets (SYN, FIN, ACKs) the shape needs beyond the first. */
function packets(payload: number, min: number, seg: number): number {
  return payload === 0 ? min : Math.max(min, Math.ceil(payload / seg) + Math.max(0, min - 1));
}

/** Stream events a small share of sessions carry in `errors`, with the SURICATA rule that reports each. */
export const STREAM_EVENTS: ReadonlyArray<readonly [string, number]> = [
  ['stream.pkt_invalid_ack', 2210045],
  ['stream.est_invalid_ack', 2210029],
];
