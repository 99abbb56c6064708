// Registration checks: each refusal panics with a stable code before any state is written.
import type { Evaluation, ModelInput, ParentLink, RegisterModelArgs, Relation } from "./types";
import { MAX_EVALUATIONS, RELATIONS } from "./types";
import { isDecimal, isLabel, isRecordId } from "../wire/fields";
import { modelInputProblem } from "../wire/record-checks";
import { ensure, fail } from "../shared/errors";
import { isHexHash } from "../shared/validate";

export function checkEvaluations(evaluations: unknown): Evaluation[] {
  if (evaluations === undefined || evaluations === null) return [];
  ensure(Array.isArray(evaluations), "ERR_INVALID_EVALUATION", "an array");
  ensure(evaluations.length <= MAX_EVALUATIONS, "ERR_TOO_MANY_EVALUATIONS", `at most ${MAX_EVALUATIONS}`);
  return (evaluations as unknown[]).map((e, i) => {
    ensure(e !== null && typeof e === "object", "ERR_INVALID_EVALUATION", `#${i}`);
    const { benchmark, metric, value, dataset_sha256 } = e as Evaluation;
    ensure(isLabel(benchmark), "ERR_INVALID_EVALUATION", `#${i} benchmark`);
    ensure(isLabel(metric, 32), "ERR_INVALID_EVALUATION", `#${i} metric`);
    ensure(isDecimal(value), "ERR_INVALID_EVALUATION", `#${i} value: a decimal string`);
    const ds = dataset_sha256 === undefined ? null : dataset_sha256;
    ensure(ds === null || isHexHash(ds), "ERR_INVALID_HASH", `evaluations #${i} dataset_sha256`);
    return { benchmark, metric, value, dataset_sha256: ds };
  });
}

export function checkParent(parent: unknown): ParentLink | null {
  if (parent === undefined || parent === null) return null;
  ensure(typeof parent === "object", "ERR_INVALID_PARENT");
  const { model_id, relation } = parent as ParentLink;
  ensure(isRecordId(model_id), "ERR_INVALID_MODEL_ID", "parent.model_id");
  ensure(RELATIONS.indexOf(relation as Relation) >= 0, "ERR_INVALID_RELATION", "finetune|quantized|adapter|merge");
  return { model_id, relation };
}

// The fields' rule is contracts/wire/record-checks.ts modelInputProblem (the CLI and the web app refuse the same input).
export function checkModelInput(m: RegisterModelArgs): ModelInput {
  const why = modelInputProblem(m);
  if (why !== null) fail(why);
  return {
    name: m.name,
    version: m.version,
    weights_sha256: m.weights_sha256,
    framework: m.framework,
    architecture: m.architecture,
    training_manifest_id: m.training_manifest_id,
    training_code_sha256: m.training_code_sha256,
    parent: checkParent(m.parent),
    evaluations: checkEvaluations(m.evaluations),
    license: m.license,
  };
}
