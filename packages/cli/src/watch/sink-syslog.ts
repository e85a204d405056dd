/**
 * The syslog sinks: RFC 5424 messages (JSON or CEF as MSG) over UDP (one datagram each, RFC 5426), TCP
 * (octet-counting framing, RFC 6587) or TLS (RFC 5425, certificate verified against the system CAs or
 * `--sink-ca`). TCP and TLS give no application acknowledgement: a batch counts as accepted once the kernel took
 * all of it. A broken connection is re-opened with back-off and the whole batch sent again (at least once; every
 * message carries the event id in its structured data).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { toCef } from './cef.js';
import type { WatchEvent } from './events.js';
import { backoffMs, pause } from './retry.js';
import type { Sink, SinkContext, SinkSpec } from './sink.js';
import { octetFrame, syslogMessage } from './syslog-format.js';

type SyslogSpec = Extract<SinkSpec, { kind: 'syslog' }>;

/** Opens a syslog sink (connections are made on the first write). */
export function openSyslogSink(spec: SyslogSpec, ctx: SinkContext): Sink {
  const render = (e: WatchEvent) => syslogMessage(e, ctx.format === 'cef' ? toCef(e, ctx.version) : JSON.stringify(e));
  const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
  const label = `syslog+${spec.transport}://${host}:${spec.port}`;
  return spec.transport === 'udp' ? new UdpSink(spec, label, render, ctx) : new StreamSink(spec, label, render, ctx);
}

class UdpSink implements Sink {
  private socket: UdpSocket | undefined;

  constructor(
    private readonly spec: SyslogSpec,
    readonly label: string,
    private readonly render: (e: WatchEvent) => string,
    private readonly ctx: SinkContext,
  ) {}

  async write(events: readonly WatchEvent[]): Promise<void> {
    for (const e of events) {
      const datagram = Buffer.from(this.render(e), 'utf8');
      for (let attempt = 1; ; attempt++) {
        try {
          await this.send(datagram);
          break;
        } catch (err) {
          const delay = backoffMs(attempt);
          this.ctx.onRetry(`${this.label}: ${(err as Error).message}; retrying in ${delay} ms`);
          this.socket?.close();
          this.socket = undefined;
          await pause(delay);
        }
      }
    }
  }

  private send(datagram: Buffer): Promise<void> {
    this.socket ??= createSocket(this.spec.host.includes(':') ? 'udp6' : 'udp4');
    const socket = this.socket;
    return new Promise((resolve, reject) =>
      socket.send(datagram, this.spec.port, this.spec.host, (err) => (err ? reject(err) : resolve())),
    );
  }

  async close(): Promise<void> {
    this.socket?.close();
  }
}

class StreamSink implements Sink {
  private socket: Socket | undefined;
  private broken: Error | undefined;

  constructor(
    private readonly spec: SyslogSpec,
    readonly label: string,
    private readonly render: (e: WatchEvent) => string,
    private readonly ctx: SinkContext,
  ) {}

  async write(events: readonly WatchEvent[]): Promise<void> {
    const frames = Buffer.concat(events.map((e) => octetFrame(this.render(e))));
    for (let attempt = 1; ; attempt++) {
      try {
        const socket = await this.connection();
        await new Promise<void>((resolve, reject) => socket.write(frames, (err) => (err ? reject(err) : resolve())));
        if (this.broken) throw this.broken;
        return;
      } catch (err) {
        const delay = backoffMs(attempt);
        this.ctx.onRetry(`${this.label}: ${(err as Error).message}; sending the batch again in ${delay} ms`);
        this.drop();
        await pause(delay);
      }
    }
  }

  private connection(): Promise<Socket> {
    if (this.socket && !this.broken && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.drop();
    return new Promise((resolve, reject) => {
      const { host, port } = this.spec;
      const socket =
        this.spec.transport === 'tls'
          ? tlsConnect({
              host,
              port,
              servername: isIp(host) ? undefined : host,
              ...(this.ctx.ca ? { ca: this.ctx.ca } : {}),
            })
          : tcpConnect({ host, port });
      const ready = this.spec.transport === 'tls' ? 'secureConnect' : 'connect';
      const onError = (err: Error) => reject(err);
      socket.once('error', onError);
      socket.setTimeout(30_000, () => socket.destroy(new Error('timed out')));
      socket.once(ready, () => {
        socket.off('error', onError);
        socket.setTimeout(0);
        socket.setKeepAlive(true, 30_000);
        this.broken = undefined;
        socket.on('error', (err) => {
          this.broken = err;
        });
        socket.on('close', () => {
          this.broken ??= new Error('connection closed by the receiver');
        });
        // A syslog receiver never talks back; reading keeps a closed peer noticed.
        socket.resume();
        this.socket = socket;
        resolve(socket);
      });
    });
  }

  private drop(): void {
    this.socket?.destroy();
    this.socket = undefined;
    this.broken = undefined;
  }

  async close(): Promise<void> {
    const s = this.socket;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.end(() => resolve());
      setTimeout(resolve, 2000).unref();
    });
    s.destroy();
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
