/**
 * Reading secrets without putting them on the command line: from a prompt with echo off when stdin is a
 * terminal, else from stdin (one secret per line, e.g. `printf '%s\n' "$PW" | ptnad login ...`).
 */

import { InterruptedError, UsageError } from './errors.js';

/** The parts of process.stdin used here. */
export interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** Reads secrets from a terminal prompt or from piped stdin. */
export class SecretReader {
  readonly #stdin: SecretInput;
  readonly #writeErr: (text: string) => void;
  #lines: Promise<string[]> | undefined;
  #next = 0;

  readonly #signal: AbortSignal | undefined;

  constructor(stdin: SecretInput, writeErr: (text: string) => void, signal?: AbortSignal) {
    this.#stdin = stdin;
    this.#writeErr = writeErr;
    this.#signal = signal;
  }

  /**
   * One secret: prompted with echo off on a terminal (unless `fromStdin`), else the next line of stdin.
   * @throws UsageError when stdin has no more lines or the secret is empty.
   */
  async read(prompt: string, fromStdin = false): Promise<string> {
    const value =
      this.#stdin.isTTY && !fromStdin && this.#stdin.setRawMode ? await this.#prompt(prompt) : await this.#line(prompt);
    if (value === '') throw new UsageError(`empty ${prompt.replace(/:\s*$/, '').toLowerCase()}`);
    return value;
  }

  async #line(what: string): Promise<string> {
    this.#lines ??= readAll(this.#stdin, this.#signal).then((text) => text.split(/\r?\n/));
    const lines = await this.#lines;
    const value = lines[this.#next++];
    if (value === undefined || (value === '' && this.#next >= lines.length)) {
      throw new UsageError(
        `no ${what.replace(/:\s*$/, '').toLowerCase()} on stdin`,
        'pipe it in (one secret per line) or run the command on a terminal to be prompted',
      );
    }
    return value;
  }

  #prompt(prompt: string): Promise<string> {
    const stdin = this.#stdin;
    const setRaw = (on: boolean) => stdin.setRawMode?.(on);
    this.#writeErr(prompt);
    return new Promise<string>((resolve, reject) => {
      let buf = '';
      const finish = () => {
        stdin.off('data', onData);
        setRaw(false);
        stdin.pause();
        this.#writeErr('\n');
      };
      const onData = (chunk: Buffer | string) => {
        for (const ch of String(chunk)) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            finish();
            resolve(buf);
            return;
          }
          if (ch === '\u0003') {
            finish();
            reject(new InterruptedError());
            return;
          }
          if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
          else buf += ch;
        }
      };
      setRaw(true);
      stdin.setEncoding('utf8');
      stdin.on('data', onData);
      stdin.resume();
    });
  }
}

/** Reads a whole stream as UTF-8 (without a leading BOM); rejects with InterruptedError when `signal` fires first. */
export async function readAll(stream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string> {
  return stripBom((await readAllBytes(stream, signal)).toString('utf8'));
}

/** Removes a leading UTF-8 byte order mark (Windows editors write one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads a whole stream as bytes; rejects with InterruptedError when `signal` fires first. */
export function readAllBytes(stream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer | string) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onAbort = () => {
      cleanup();
      stream.pause();
      reject(new InterruptedError());
    };
    if (signal?.aborted) return onAbort();
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.resume();
  });
}
