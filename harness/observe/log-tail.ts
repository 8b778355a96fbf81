// Follows a growing log file: each read returns the complete lines appended
// since the last one. A restarted node appends to the same file; a file that
// shrank (replaced) is read again from the start. Bounded per read.
import { open, stat } from 'node:fs/promises';

const DEFAULT_MAX_BYTES_PER_READ = 4 * 1024 * 1024;

export class LogTail {
  private offset = 0;
  private partial = '';

  constructor(readonly path: string, private readonly maxBytesPerRead = DEFAULT_MAX_BYTES_PER_READ) {}

  /** Complete new lines (a last line without its newline waits for the next read, unless `flush`). */
  async readLines(flush = false): Promise<string[]> {
    const size = await stat(this.path).then((s) => s.size, () => undefined);
    if (size === undefined) return [];
    if (size < this.offset) {
      this.offset = 0;
      this.partial = '';
    }
    const text = this.partial + (size > this.offset ? await this.readFrom(size) : '');
    const lines = text.split('\n');
    this.partial = flush ? '' : lines.pop()!;
    return lines.filter((l) => l.length > 0);
  }

  private async readFrom(size: number): Promise<string> {
    const length = Math.min(size - this.offset, this.maxBytesPerRead);
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
      this.offset += bytesRead;
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  }
}
