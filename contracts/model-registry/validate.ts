// Registration checks: each refusal panics with a stable code before any state is written.
import type { Evaluation, ModelInput, ParentLink, RegisterModelArgs, Relation } from "./types";
import { MAX_EVALUATIONS, RELATIONS } from "./types";
import { isDecimal, isLabel, isRecordId, isRecordName, isSpdxId, isVersion } from "../wire/fields";
import { ensure } from "../shared/errors";
import { isHexHash, isSafeInt } from "../shared/validate";

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

export function checkModelInput(m: RegisterModelArgs): ModelInput {
  ensure(isRecordName(m.name), "ERR_INVALID_NAME", "1..64 of a-z 0-9 -");
  ensure(isVersion(m.version), "ERR_INVALID_VERSION", "1..32 of a-z 0-9 . -");
  ensure(isHexHash(m.weights_sha256), "ERR_INVALID_HASH", "weights_sha256");
  ensure(isHexHash(m.training_code_sha256), "ERR_INVALID_HASH", "training_code_sha256");
  ensure(isLabel(m.framework, 32), "ERR_INVALID_FRAMEWORK", "1..32 visible ASCII");
  ensure(isLabel(m.architecture), "ERR_INVALID_ARCHITECTURE", "1..64 visible ASCII");
  ensure(isSafeInt(m.training_manifest_id, 1, 4294967295), "ERR_INVALID_MANIFEST_ID");
  ensure(isSpdxId(m.license), "ERR_INVALID_LICENSE", "an SPDX id");
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
