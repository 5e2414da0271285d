// The secret behind the model host's handshake (src/shared/host-protocol.ts): 32 random bytes
// in `<dataDir>/host-secret`, 0600, made by whichever client or host needs it first. Knowing it
// is what "the same user, the same data dir" means across the socket; the folder checks in
// socket-dir.ts keep strangers off the socket, this keeps a stranger's socket from being trusted.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { hostSecretPath } from '../paths.js';
import { createPrivateFile, ensurePrivateDir, ensurePrivateFile, writePrivateFile } from '../private-fs.js';

const SECRET = /^[0-9a-f]{64}$/;

/** The data dir's host secret, created on first use. */
export function loadOrCreateHostSecret(dataDir: string): Buffer {
  const file = hostSecretPath(dataDir);
  const read = () => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return '';
    }
  };
  ensurePrivateFile(file);
  const hex = read();
  if (SECRET.test(hex)) return Buffer.from(hex, 'hex');
  ensurePrivateDir(dataDir);
  const fresh = randomBytes(32).toString('hex');
  if (hex !== '') writePrivateFile(file, fresh + '\n'); // damaged: replaced
  // Several starting at once: the first file made wins, and the others use it.
  else if (!createPrivateFile(file, fresh + '\n')) return Buffer.from(read(), 'hex');
  return Buffer.from(fresh, 'hex');
}

export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

export type HandshakeRole = 'host' | 'client';

/** HMAC of both nonces, labelled by who proves, so one side's proof never serves the other. */
export function handshakeProof(secret: Buffer, role: HandshakeRole, clientNonce: string, hostNonce: string): string {
  return createHmac('sha256', secret).update(`parla-host-v1|${role}|${clientNonce}|${hostNonce}`).digest('base64url');
}

export function isValidProof(secret: Buffer, role: HandshakeRole, clientNonce: string, hostNonce: string, given: string): boolean {
  const expected = Buffer.from(handshakeProof(secret, role, clientNonce, hostNonce));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Longest handshake line either side accepts; anything longer is not a handshake. */
const MAX_LINE = 4096;

/**
 * Reads the handshake's lines off a socket, then hands the socket on with whatever came after
 * them (a client may send its first request right behind its proof) still unread.
 */
export class HandshakeReader {
  private buffered = Buffer.alloc(0);
  private waiting: { resolve(line: string): void; reject(error: Error): void } | undefined;
  private ended: Error | undefined;

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', this.onClose);
  }

  /** The next line; rejects when the socket closes first or sends too much without a newline. */
  next(): Promise<string> {
    const line = this.take();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /**
   * Stops reading and puts the unread bytes back, leaving the socket paused: whoever takes it
   * over adds its own 'data' listener and resumes it.
   */
  release(): Socket {
    this.socket.pause();
    this.detach();
    // Bytes, not text: a request behind the proof may end mid-character in this chunk.
    if (this.buffered.length) this.socket.unshift(this.buffered);
    this.buffered = Buffer.alloc(0);
    return this.socket;
  }

  /** Stops reading without handing the socket on (the caller destroys it). */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onClose);
  }

  private take(): string | undefined {
    const newline = this.buffered.indexOf(0x0a);
    if (newline < 0) return undefined;
    const line = this.buffered.subarray(0, newline).toString('utf8');
    this.buffered = this.buffered.subarray(newline + 1);
    return line;
  }

  private readonly onData = (chunk: Buffer) => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    if (this.buffered.length > MAX_LINE && this.buffered.indexOf(0x0a) < 0) return this.onClose();
    const waiting = this.waiting;
    const line = waiting && this.take();
    if (waiting && line !== undefined) {
      this.waiting = undefined;
      waiting.resolve(line);
    }
  };

  private readonly onClose = () => {
    this.ended ??= new Error('the connection closed during the handshake');
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.ended);
  };
}

/** A parsed JSON line, or undefined for anything that is not JSON. */
export function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
