// Following the chain's active model. The verifier accepts a receipt only for the model active when the receipt lands
// (ERR_MODEL_NOT_ACTIVE otherwise), and the DAO may switch it at any time. So the service asks the verifier
// (get_active_model) at start, every `follow_interval_ms`, and at once when the verifier refuses a receipt for its
// model, and:
//   same model         keeps serving;
//   another model      stops signing (409 ERR_MODEL_SWITCHING), drains: the receipts already signed are submitted
//                      before anything else (each ends accepted, or rejected with the chain's code), then loads the
//                      new weights from the weights directory (by sha256, models.ts) and serves them;
//   weights not here   409 ERR_MODEL_WEIGHTS_MISSING until a file with them appears (checked at every poll);
//   no active model    409 ERR_NO_ACTIVE_MODEL.
// A failed poll (the node unreachable) changes nothing: the service keeps what it has, and says when it last knew.
import type { ActiveModel, ServiceChain } from "./chain.ts";
import type { InferenceModel, ModelLoader } from "./models.ts";

export const FOLLOW_STATES = ["starting", "serving", "switching", "weights_missing", "no_active_model"] as const;
export type FollowState = (typeof FOLLOW_STATES)[number];

/** Why /v1/infer cannot answer now (409), by state. */
export const UNAVAILABLE = {
  starting: "ERR_MODEL_SWITCHING",
  switching: "ERR_MODEL_SWITCHING",
  weights_missing: "ERR_MODEL_WEIGHTS_MISSING",
  no_active_model: "ERR_NO_ACTIVE_MODEL",
} as const;
export type UnavailableCode = (typeof UNAVAILABLE)[keyof typeof UNAVAILABLE];

export interface FollowerOptions {
  interval_ms: number;
  /** Resolves when no receipt of the previous model is waiting to be submitted (or the drain timed out). */
  drain: () => Promise<void>;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

const sameModel = (m: InferenceModel, a: ActiveModel) =>
  m.name === a.model_name && m.version === a.model_version && m.weightsSha256 === a.weights_sha256;

export const modelLabel = (a: { model_name: string; model_version: string } | null) =>
  a ? `${a.model_name}@${a.model_version}` : null;

export class ModelFollower {
  state: FollowState = "starting";
  /** what the verifier said last, and when (ms since the epoch) */
  chainModel: ActiveModel | null = null;
  checkedAt: number | null = null;
  lastError: string | null = null;
  /** the model answering requests; null unless state is "serving" */
  current: InferenceModel | null = null;
  switches = 0;
  private checking: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly chain: ServiceChain,
    private readonly loader: ModelLoader,
    private readonly o: FollowerOptions,
  ) {}

  /** The model to answer with, or why there is none. */
  serving(): { model: InferenceModel } | { code: UnavailableCode; message: string } {
    if (this.state === "serving" && this.current) return { model: this.current };
    const state = this.state === "serving" ? "starting" : this.state;
    const wanted = modelLabel(this.chainModel) ?? "none";
    const message = {
      starting: "the service is loading the active model; retry shortly",
      switching: `the verifier's active model changed to ${wanted}: the previous model's receipts are being submitted; retry shortly`,
      weights_missing: `the verifier's active model ${wanted} (weights ${this.chainModel?.weights_sha256}) is not in the weights directory`,
      no_active_model: "the verifier has no active model",
    }[state];
    return { code: UNAVAILABLE[state], message };
  }

  /** Polls every interval until stopped (the first check is the caller's, at start). */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.check().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.o.interval_ms);
      });
    };
    this.timer = setTimeout(tick, this.o.interval_ms);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.checking;
  }

  /** One check at a time; a check asked for while one runs runs once more after it. */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        await this.checkOnce();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    let active: ActiveModel | null;
    try {
      active = await this.chain.activeModel();
    } catch (e) {
      this.lastError = (e as Error).message.slice(0, 300);
      return;
    }
    this.chainModel = active;
    this.checkedAt = Date.now();
    this.lastError = null;
    if (this.current && active && sameModel(this.current, active)) {
      this.state = "serving";
      return;
    }
    if (this.current) {
      // the verifier switched: nothing more is signed for the old model, and what was signed goes first
      const from = this.current;
      this.current = null;
      this.state = "switching";
      this.switches++;
      this.o.log("the verifier's active model changed: draining", {
        from: `${from.name}@${from.version}`,
        to: modelLabel(active),
      });
      await this.o.drain();
    }
    if (!active) {
      this.state = "no_active_model";
      return;
    }
    let model: InferenceModel | null = null;
    try {
      model = this.loader.load(active);
    } catch (e) {
      this.lastError = (e as Error).message.slice(0, 300);
    }
    if (!model) {
      if (this.state !== "weights_missing") {
        this.o.log("no weights for the active model", { model: modelLabel(active), weights: active.weights_sha256 });
      }
      this.state = "weights_missing";
      return;
    }
    this.current = model;
    this.state = "serving";
    this.o.log("serving model", {
      model: modelLabel(active),
      weights_sha256: model.weightsSha256,
      format: model.format,
    });
  }
}
