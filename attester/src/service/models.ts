// Models behind one interface. The service never touches a model's internals: it asks the loader for the weights the
// verifier names (by sha256) and gets an InferenceModel whose `infer` it calls. A model implementation (a framework,
// an architecture) is a ModelFormat: it recognises its own files and turns their bytes into an `infer` function. A
// community plugs in another one by naming a module that exports it (config `model_formats`, loadFormats below) or
// by passing it to `startService(cfg, { formats })`; the bag-of-words classifier of model.ts is the first, and the
// default.
//
// The one rule of the loader: a file is loaded only when the sha256 of its bytes is the weights sha256 the chain
// names, so the service can only ever run (and sign for) the weights the community registered and activated.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AttesterError } from "../errors.ts";
import { deserialize, predict } from "../model.ts";

/** A model ready to answer: the registry's name and version, the sha256 of its weights file, and its inference. */
export interface InferenceModel {
  readonly name: string;
  readonly version: string;
  readonly weightsSha256: string;
  /** which implementation runs it (ModelFormat.id) */
  readonly format: string;
  /** the answer the receipt commits to; deterministic for given weights (two attesters must agree) */
  infer(input: string): string;
}

/** One model implementation: recognises its weights files and loads them. */
export interface ModelFormat {
  /** a stable name: framework/architecture and file format version */
  readonly id: string;
  /** a cheap test (a magic number): is this file one of mine? */
  recognises(bytes: Uint8Array): boolean;
  /** builds the inference function; throws on a malformed file */
  load(bytes: Uint8Array): (input: string) => string;
}

/** The bag-of-words logistic regression of model.ts, in its AICM v1 file format. */
export const bagOfWords: ModelFormat = {
  id: "bag-of-words-logreg/aicm-v1",
  recognises: (bytes) => bytes.length >= 8 && Buffer.from(bytes.subarray(0, 4)).toString("latin1") === "AICM",
  load(bytes) {
    const model = deserialize(bytes);
    return (input) => predict(model, input).label;
  },
};

export const DEFAULT_FORMATS: readonly ModelFormat[] = [bagOfWords];

const isFormat = (f: unknown): f is ModelFormat =>
  typeof f === "object" &&
  f !== null &&
  typeof (f as ModelFormat).id === "string" &&
  typeof (f as ModelFormat).recognises === "function" &&
  typeof (f as ModelFormat).load === "function";

/** The formats of the modules named by `model_formats` (each default-exports one), then the built-in ones. */
export async function loadFormats(modules: readonly string[]): Promise<ModelFormat[]> {
  const out: ModelFormat[] = [];
  for (const path of modules) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
    } catch (e) {
      throw new AttesterError("ERR_CONFIG", `model_formats: ${path}: ${(e as Error).message}`);
    }
    if (!isFormat(mod.default)) {
      throw new AttesterError("ERR_CONFIG", `model_formats: ${path} does not default-export a ModelFormat`);
    }
    out.push(mod.default);
  }
  return [...out, ...DEFAULT_FORMATS];
}

/** The model the verifier names: what the loader is asked for. */
export interface WantedModel {
  model_name: string;
  model_version: string;
  weights_sha256: string;
}

const sha256File = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Finds and loads weights by sha256 among candidate files: `model_file` (if set) and the regular files directly in
 * `weights_dir` (if set). Hashes are cached by path, size and modification time, so polling a directory every few
 * seconds re-reads only files that changed.
 */
export class ModelLoader {
  private readonly hashes = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

  constructor(
    private readonly where: { model_file: string | null; weights_dir: string | null },
    private readonly formats: readonly ModelFormat[] = DEFAULT_FORMATS,
  ) {}

  private candidates(): string[] {
    const out: string[] = [];
    if (this.where.model_file) out.push(resolve(this.where.model_file));
    if (this.where.weights_dir) {
      let names: string[];
      try {
        names = readdirSync(this.where.weights_dir).sort();
      } catch (e) {
        throw new AttesterError("ERR_WEIGHTS_DIR", `${this.where.weights_dir}: ${(e as Error).message}`);
      }
      for (const n of names) out.push(resolve(this.where.weights_dir, n));
    }
    return [...new Set(out)];
  }

  /** The path of the file whose sha256 is `sha256`, or null. */
  find(sha256: string): string | null {
    for (const path of this.candidates()) {
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(path);
      } catch {
        continue; // removed meanwhile
      }
      if (!st.isFile()) continue;
      const cached = this.hashes.get(path);
      let hash = cached?.size === st.size && cached.mtimeMs === st.mtimeMs ? cached.sha256 : null;
      if (hash === null) {
        hash = sha256File(readFileSync(path));
        this.hashes.set(path, { size: st.size, mtimeMs: st.mtimeMs, sha256: hash });
      }
      if (hash === sha256) return path;
    }
    return null;
  }

  /**
   * Loads the weights the chain names, or returns null when no candidate file has them. The bytes are hashed again
   * after reading (the file may have changed since it was found): any other bytes are refused.
   */
  load(wanted: WantedModel): InferenceModel | null {
    const path = this.find(wanted.weights_sha256);
    if (path === null) return null;
    return loadWeights(wanted, readFileSync(path), this.formats, path);
  }
}

/** Builds the InferenceModel from bytes that must hash to `wanted.weights_sha256`. */
export function loadWeights(
  wanted: WantedModel,
  bytes: Uint8Array,
  formats: readonly ModelFormat[] = DEFAULT_FORMATS,
  what = "the weights",
): InferenceModel {
  const sha = sha256File(bytes);
  if (sha !== wanted.weights_sha256) {
    throw new AttesterError(
      "ERR_WEIGHTS_MISMATCH",
      `${what} have sha256 ${sha}, the chain names ${wanted.weights_sha256}`,
    );
  }
  const format = formats.find((f) => f.recognises(bytes));
  if (!format) throw new AttesterError("ERR_UNKNOWN_MODEL_FORMAT", `${what}: no model implementation recognises it`);
  let infer: (input: string) => string;
  try {
    infer = format.load(bytes);
  } catch (e) {
    throw new AttesterError("ERR_BAD_MODEL_FILE", `${what} (${format.id}): ${(e as Error).message}`);
  }
  return {
    name: wanted.model_name,
    version: wanted.model_version,
    weightsSha256: sha,
    format: format.id,
    infer,
  };
}
