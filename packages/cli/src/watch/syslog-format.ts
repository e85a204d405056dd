/**
 * RFC 5424 syslog messages and their framing, written here rather than taken from a library: the npm syslog
 * clients we checked (syslog-client 1.1.1, its TLS fork syslog-client-tls 1.2.1, syslog-pro 1.0.0) either frame
 * TCP with newlines instead of RFC 6587 octet counting (which RFC 5425 requires over TLS and which survives
 * newlines inside the message), or see few updates and users. The format is a header line and a length prefix.
 *
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [ptnad@32473 id="..." type="..."] MSG
 *
 * 32473 is the private enterprise number RFC 5612 reserves for examples and documentation.
 */
import { hostname } from 'node:os';
import type { WatchEvent } from './events.js';

/** Facility local0 (16): the receiver's rules decide where it goes. */
const FACILITY = 16;

/** Syslog severity of an event: alert priority 1 → critical ... 4 → notice; flows → informational. */
export function severityOf(e: WatchEvent): number {
  if (e.type !== 'alert') return 6;
  const pr = typeof e.pr === 'number' ? e.pr : 4;
  return pr <= 1 ? 2 : pr === 2 ? 4 : 5;
}

/** PRINTUSASCII without spaces, at most `max` characters, or "-" (RFC 5424 §6). */
function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

const HOST = headerField(hostname(), 255);

/** An SD-PARAM value with `"`, `\` and `]` escaped (RFC 5424 §6.3.3). */
function sdValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** One RFC 5424 message (without framing). */
export function syslogMessage(e: WatchEvent, msg: string, now = new Date()): string {
  const pri = FACILITY * 8 + severityOf(e);
  const sd = `[ptnad@32473 id="${sdValue(e.id)}" type="${sdValue(e.type)}"]`;
  return `<${pri}>1 ${now.toISOString()} ${HOST} ptnad ${process.pid} ${headerField(e.type, 32)} ${sd} ${msg}`;
}

/** Octet-counting frame (RFC 6587 §3.4.1, RFC 5425 §4.3): `LENGTH SP MESSAGE`, LENGTH in bytes. */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

/** Splits an octet-counted stream into messages; returns them and the unconsumed rest (for receivers/tests). */
export function parseOctetFrames(buf: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let off = 0;
  for (;;) {
    const sp = buf.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number(buf.subarray(off, sp).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0) throw new Error(`bad octet-counting frame at byte ${off}`);
    if (sp + 1 + len > buf.length) break;
    messages.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
    off = sp + 1 + len;
  }
  return { messages, rest: buf.subarray(off) };
}

/** The fields of an RFC 5424 message (for tests and receivers): header parts, structured data, message. */
export function parseSyslogMessage(text: string):
  | {
      pri: number;
      version: number;
      timestamp: string;
      host: string;
      app: string;
      procId: string;
      msgId: string;
      sd: string;
      msg: string;
    }
  | undefined {
  const m = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  return {
    pri: Number(m[1]),
    version: Number(m[2]),
    timestamp: m[3] as string,
    host: m[4] as string,
    app: m[5] as string,
    procId: m[6] as string,
    msgId: m[7] as string,
    sd: m[8] as string,
    msg: m[9] as string,
  };
}
