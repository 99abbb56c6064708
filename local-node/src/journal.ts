// Durability: an append-only journal of committed changes (one JSON line per commit, fsync'd before the RPC
// answers) plus a snapshot written at start-up when the journal has grown. Each line holds final values
// (state entries, blocks, transaction records), never inputs, so replay does not re-run the VM and applying a
// line twice is harmless (which makes the snapshot/truncate sequence crash-safe).
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { stringify } from "./util.ts";

const JOURNAL = "journal.jsonl";
const SNAPSHOT = "snapshot.json";
/** rewrite the snapshot at start-up when the journal is larger than this (LOCAL_NODE_COMPACT_BYTES overrides) */
const COMPACT_BYTES = Number(process.env.LOCAL_NODE_COMPACT_BYTES ?? 16 * 1024 * 1024);

export type Entry = Record<string, unknown>;

export class Journal {
  private fd: number;

  private constructor(
    private dir: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Reads the snapshot and the valid journal lines (a torn last line from a crash is dropped). */
  static open(dir: string): { journal: Journal; snapshot: Entry | undefined; entries: Entry[]; journalBytes: number } {
    const snapPath = join(dir, SNAPSHOT);
    const snapshot = existsSync(snapPath) ? (JSON.parse(readFileSync(snapPath, "utf8")) as Entry) : undefined;
    const path = join(dir, JOURNAL);
    const entries: Entry[] = [];
    let valid = 0;
    if (existsSync(path)) {
      const buf = readFileSync(path);
      let pos = 0;
      while (pos < buf.length) {
        const nl = buf.indexOf(10, pos);
        if (nl < 0) break; // unterminated line: never acknowledged
        try {
          entries.push(JSON.parse(buf.subarray(pos, nl).toString("utf8")) as Entry);
        } catch {
          break;
        }
        pos = nl + 1;
        valid = pos;
      }
      // cut a torn tail so that new lines start clean
      if (valid !== buf.length) writeFileSync(path, buf.subarray(0, valid));
    }
    return { journal: new Journal(dir, openSync(path, "a")), snapshot, entries, journalBytes: valid };
  }

  static shouldCompact(bytes: number): boolean {
    return bytes > COMPACT_BYTES;
  }

  /** Appends one commit and waits for it to reach the disk. */
  append(entry: Entry): void {
    writeSync(this.fd, `${stringify(entry)}\n`);
    fsyncSync(this.fd);
  }

  /** Writes a full snapshot atomically, then empties the journal. */
  compact(snapshot: Entry): void {
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const fd = openSync(tmp, "w");
    writeSync(fd, stringify(snapshot));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(this.dir, SNAPSHOT));
    const dfd = openSync(this.dir, "r");
    fsyncSync(dfd);
    closeSync(dfd);
    closeSync(this.fd);
    writeFileSync(join(this.dir, JOURNAL), "");
    this.fd = openSync(join(this.dir, JOURNAL), "a");
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
