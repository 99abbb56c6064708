// A creator's own actions on the community's registries, as the CLI does them (`dataset submit`, `dataset withdraw`,
// `manifest create`, `model register`): the same arguments, deposit and gas (scripts/cli/registry-calls.ts), checked
// in the page by the registries' own rules (contracts/wire/record-checks.ts) before anything is sent. A file picked
// here is hashed in the browser (sha256, as the CLI hashes a local file); nothing is uploaded.
import { type FormEvent, useState } from "react";
import card from "../../attester/model-card.json";
import type { DatasetRecord, ManifestRecord } from "../../contracts/wire/datasets.ts";
import { MAX_MANIFEST_DATASETS } from "../../contracts/wire/datasets.ts";
import { isLabel, MAX_MEMO, splitRecordId } from "../../contracts/wire/fields.ts";
import { creatorsProblem, datasetInputProblem, modelInputProblem } from "../../contracts/wire/record-checks.ts";
import { valueProblem } from "../../scripts/cli/checks.ts";
import {
  creatorsFromText,
  DEFAULT_DATASET_LICENSE,
  defaultDatasheetText,
  RECORD_DEPOSIT,
  REGISTRY_CALL_GAS,
} from "../../scripts/cli/registry-calls.ts";
import * as units from "../../scripts/cli/units.ts";
import type { ContractName } from "../../contracts/wire/contracts.ts";
import { type Problem, problemOf, type Tx } from "./chain.ts";
import { datasetsPage } from "./datasets.tsx";
import type { PageProps } from "./pages.tsx";
import { Refusal, suiteContract } from "./suite.ts";
import { Pager, ProblemBox, Show, TextField, useLoad } from "./ui.tsx";

/** The lower-case hex sha256 of bytes (the browser's Web Crypto; a secure context: https or the local app). */
export async function sha256Hex(data: BufferSource | string): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new Error("this page cannot hash (no Web Crypto here): type the sha256 in");
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A registry's refusal ("ERR_X: detail", contracts/wire/record-checks.ts) as the page shows it: code and meaning. */
function refusal(why: string, contract: ContractName): Problem {
  const [code, ...detail] = why.split(": ");
  return problemOf(new Refusal(code, detail.join(": ") || code), undefined, contract);
}

const STORAGE_NOTE: [string, string, string] = [
  "storage",
  "the registry keeps what the record's storage costs and refunds the rest in this call",
  "tx-storage",
];

/** A file input that hashes the chosen file (and gives its size): how the CLI measures `--file`. */
function HashFile({
  label,
  name,
  onHashed,
}: {
  label: string;
  name: string;
  onHashed: (sha256: string, size: number, fileName: string) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <label>
      {label}
      <input
        type="file"
        name={name}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          setProblem(null);
          setBusy(true);
          try {
            onHashed(await sha256Hex(await file.arrayBuffer()), file.size, file.name);
          } catch (err) {
            setProblem((err as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      />
      {busy ? <span className="muted"> hashing…</span> : null}
      {problem ? <div className="field-error">{problem}</div> : null}
    </label>
  );
}

/** `#/c/<dao>/submit-dataset`: submit_dataset with 0.1 NEAR, as `dataset submit`. */
/** The creators field as the CLI's --creators (`a:bps,b:bps`; empty: the signer alone); a problem goes in `bad`. */
function creatorsField(text: string, signer: string, bad: Record<string, string>) {
  try {
    return creatorsFromText(text.replace(/\s+/g, ""), signer);
  } catch {
    bad.creators = "must be account:bps,account:bps (shares in basis points), like a.testnet:6000,b.testnet:4000";
    return [];
  }
}

export function SubmitDataset({ chain, wallet, ask, go, dao }: PageProps & { dao: string }) {
  const [id, setId] = useState("");
  const [sha, setSha] = useState("");
  const [size, setSize] = useState("");
  const [uris, setUris] = useState("");
  const [license, setLicense] = useState(DEFAULT_DATASET_LICENSE);
  const [creators, setCreators] = useState("");
  const [datasheet, setDatasheet] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<Problem | null>(null);
  const registry = useLoad(() => suiteContract(chain, dao, "dataset-registry"), [chain, dao], chain);

  const submit = async (e: FormEvent, registryId: string) => {
    e.preventDefault();
    if (!wallet) return;
    setRefused(null);
    const bad: Record<string, string> = {};
    const whyId = valueProblem("record", id);
    if (whyId) bad.id = `must be ${whyId}`;
    const list = creatorsField(creators, wallet.accountId, bad);
    setErrors(bad);
    if (Object.keys(bad).length > 0) return;
    const { name, version } = splitRecordId(id);
    let datasheetSha = datasheet;
    try {
      // the CLI's default datasheet: the sha256 of "datasheet of <id>"
      if (!datasheetSha) datasheetSha = await sha256Hex(defaultDatasheetText(id));
    } catch (err) {
      setRefused(problemOf(err, chain, "dataset-registry"));
      return;
    }
    const args = {
      name,
      version,
      content_sha256: sha,
      size_bytes: size,
      uris: uris
        .split("\n")
        .map((u) => u.trim())
        .filter(Boolean),
      license,
      datasheet_sha256: datasheetSha,
      creators: list,
    };
    // the registry's own checks, in its order and with its codes
    const why = datasetInputProblem(args);
    if (why) {
      setRefused(refusal(why, "dataset-registry"));
      return;
    }
    const shares = list.map((c) => `${c.account_id} ${units.bps(c.share_bps)}`).join(", ");
    ask(
      {
        what: `Submit the dataset ${id} (${units.near(RECORD_DEPOSIT)} for its record; creators ${shares}). It stays Submitted until the community admits it.`,
        contractId: registryId,
        methodName: "submit_dataset",
        args,
        gas: REGISTRY_CALL_GAS,
        deposit: RECORD_DEPOSIT,
        contract: "dataset-registry",
        details: [STORAGE_NOTE],
      },
      (sent) => go(`/c/${dao}/d/${encodeURIComponent(String(sent.value))}`),
    );
  };
  const field = (n: string) => (errors[n] ? <div className="field-error">{errors[n]}</div> : null);
  return (
    <section>
      <p>
        <a href={`#/c/${dao}/datasets`}>‹ datasets</a>
      </p>
      <h1>Submit a dataset</h1>
      <p className="muted">
        Its record: where the data is, its sha256 and size, its license and who made it with their shares (paid by the
        reward pool when a model trained on it is used). It stays Submitted until the community admits it.
      </p>
      <Show loaded={registry}>
        {(registryId) => (
          // an edit clears a refusal shown for the values before it
          <form onSubmit={(e) => void submit(e, registryId)} onChange={() => setRefused(null)} noValidate>
            <TextField
              label="Dataset (name@version)"
              name="id"
              value={id}
              onChange={setId}
              trim
              placeholder="corpus@1.0.0"
            />
            {field("id")}
            <HashFile
              label="The data file (hashed here, not uploaded)"
              name="file"
              onHashed={(h, n) => {
                setSha(h);
                setSize(String(n));
              }}
            />
            <TextField label="Content sha256" name="sha256" value={sha} onChange={setSha} trim />
            <TextField label="Size (bytes)" name="size" value={size} onChange={setSize} trim inputMode="numeric" />
            <TextField
              label="Where the data is (one URI a line)"
              name="uris"
              value={uris}
              onChange={setUris}
              rows={2}
              placeholder="https://example.org/corpus.tsv"
            />
            <TextField label="License (SPDX id)" name="license" value={license} onChange={setLicense} trim />
            <TextField
              label="Creators and shares in basis points (empty: you, 10000)"
              name="creators"
              value={creators}
              onChange={setCreators}
              placeholder={`${wallet?.accountId ?? "a.testnet"}:6000,b.testnet:4000`}
            />
            {field("creators")}
            <TextField
              label={<>Datasheet sha256 (optional; default: the CLI's, of “datasheet of {id || "<id>"}”)</>}
              name="datasheet"
              value={datasheet}
              onChange={setDatasheet}
              trim
            />
            <p className="muted">
              Deposit {units.near(RECORD_DEPOSIT)}: the registry keeps what the record's storage costs and refunds the
              rest.
            </p>
            {refused ? <ProblemBox problem={refused} /> : null}
            <ReviewButton signedIn={Boolean(wallet)} action="submit" />
          </form>
        )}
      </Show>
    </section>
  );
}

/** withdraw_dataset for a creator or the submitter (as `dataset withdraw`): a section of the dataset's page. */
export function WithdrawDataset({
  wallet,
  ask,
  registry,
  d,
}: Pick<PageProps, "wallet" | "ask"> & { registry: string; d: DatasetRecord }) {
  const [reason, setReason] = useState("");
  if (!wallet || d.withdrawn) return null;
  const mine = wallet.accountId === d.submitter || d.creators.some((c) => c.account_id === wallet.accountId);
  if (!mine) return null;
  const withdraw = () =>
    ask({
      what: `Withdraw the dataset ${d.id}: it can no longer be admitted or enter a manifest, and models trained on it cannot be activated again. This cannot be undone.`,
      contractId: registry,
      methodName: "withdraw_dataset",
      args: { dataset_id: d.id, ...(reason ? { reason } : {}) },
      gas: REGISTRY_CALL_GAS,
      deposit: 0n,
      contract: "dataset-registry",
    });
  return (
    <>
      <h2>Withdraw</h2>
      <p className="muted">
        As one of its creators you may withdraw your consent at any time: the record stays, marked withdrawn.
      </p>
      <TextField label="Reason (optional)" name="reason" value={reason} onChange={setReason} maxLength={MAX_MEMO} />
      <div className="actions">
        <button type="button" onClick={withdraw}>
          Withdraw
        </button>
      </div>
    </>
  );
}

/** `#/c/<dao>/new-manifest`: create_manifest over admitted datasets (as `manifest create`). */
export function CreateManifest({ chain, wallet, refresh, ask, go, dao }: PageProps & { dao: string }) {
  const [page, setPage] = useState(0);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const loaded = useLoad(() => datasetsPage(chain, dao, page), [chain, dao, page, refresh], chain);
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  const submit = (e: FormEvent, registry: string) => {
    e.preventDefault();
    const bad: Record<string, string> = {};
    if (!isLabel(name)) bad.name = "must be 1 to 64 visible ASCII characters, no space at either end";
    if (chosen.length < 1) bad.datasets = "choose at least one admitted dataset";
    if (chosen.length > MAX_MANIFEST_DATASETS) bad.datasets = `at most ${MAX_MANIFEST_DATASETS} datasets`;
    setErrors(bad);
    if (Object.keys(bad).length > 0) return;
    ask(
      {
        what: `Create the training manifest “${name}” of ${chosen.join(", ")}: a fixed list of admitted datasets with their hashes, under one root a model can name.`,
        contractId: registry,
        methodName: "create_manifest",
        args: { name, dataset_ids: chosen },
        gas: REGISTRY_CALL_GAS,
        deposit: RECORD_DEPOSIT,
        contract: "dataset-registry",
        details: [STORAGE_NOTE],
      },
      (sent) => go(`/c/${dao}/register-model?manifest=${sent.value}`),
    );
  };
  return (
    <section>
      <p>
        <a href={`#/c/${dao}/datasets`}>‹ datasets</a>
      </p>
      <h1>Create a manifest</h1>
      <p className="muted">
        The datasets a model trains on: admitted, not withdrawn. Anyone may create one; the community checks it when it
        activates a model trained on it.
      </p>
      <Show loaded={loaded}>
        {({ registry, total, slots }) => (
          <form onSubmit={(e) => submit(e, registry)} noValidate>
            <TextField label="Name" name="name" value={name} onChange={setName} placeholder="intents training" />
            {errors.name ? <div className="field-error">{errors.name}</div> : null}
            <fieldset>
              <legend>Admitted datasets (newest first)</legend>
              <ul className="plain" data-testid="manifest-choices">
                {slots
                  .filter((d): d is DatasetRecord => !("removed" in d) && d.status === "Admitted" && !d.withdrawn)
                  .map((d) => (
                    <li key={d.id}>
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={chosen.includes(d.id)}
                          onChange={() => toggle(d.id)}
                          aria-label={d.id}
                        />{" "}
                        {d.id} <span className="muted">{d.license}</span>
                      </label>
                    </li>
                  ))}
              </ul>
              <Pager page={page} total={total} onPage={setPage} />
            </fieldset>
            {errors.datasets ? <div className="field-error">{errors.datasets}</div> : null}
            <p className="muted" data-testid="manifest-chosen">
              {chosen.length === 0 ? "none chosen" : `chosen: ${chosen.join(", ")}`}
            </p>
            <ReviewButton signedIn={Boolean(wallet)} action="create" />
          </form>
        )}
      </Show>
    </section>
  );
}

/** `#/c/<dao>/register-model?manifest=N`: register_model (as `model register`), its defaults the model card's. */
export function RegisterModel({
  chain,
  wallet,
  ask,
  go,
  dao,
  initialManifest,
}: PageProps & { dao: string; initialManifest?: string }) {
  const [id, setId] = useState("");
  const [weights, setWeights] = useState("");
  const [manifest, setManifest] = useState(initialManifest ?? "");
  const [code, setCode] = useState("");
  const [framework, setFramework] = useState(card.framework);
  const [architecture, setArchitecture] = useState(card.architecture);
  const [license, setLicense] = useState(card.license);
  const [creators, setCreators] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<Problem | null>(null);
  const loaded = useLoad(
    async () => {
      const [models, datasets] = await Promise.all([
        suiteContract(chain, dao, "model-registry"),
        suiteContract(chain, dao, "dataset-registry"),
      ]);
      const n = Number(manifest);
      const m =
        /^\d+$/.test(manifest) && n > 0
          ? await chain.view<ManifestRecord | null>(datasets, "get_manifest", { manifest_id: n })
          : null;
      return { models, m };
    },
    [chain, dao, manifest],
    chain,
  );
  const submit = (e: FormEvent, registry: string) => {
    e.preventDefault();
    if (!wallet) return;
    setRefused(null);
    const bad: Record<string, string> = {};
    const whyId = valueProblem("record", id);
    if (whyId) bad.id = `must be ${whyId}`;
    const whyManifest = valueProblem("count", manifest);
    if (whyManifest) bad.manifest = `must be ${whyManifest}`;
    const list = creatorsField(creators, wallet.accountId, bad);
    setErrors(bad);
    if (Object.keys(bad).length > 0) return;
    const { name, version } = splitRecordId(id);
    const args = {
      name,
      version,
      weights_sha256: weights,
      framework,
      architecture,
      training_manifest_id: Number(manifest),
      training_code_sha256: code,
      license,
      creators: list,
    };
    const why = modelInputProblem(args) ?? creatorsProblem(list);
    if (why) {
      setRefused(refusal(why, "model-registry"));
      return;
    }
    const makers = list.map((c) => `${c.account_id} ${units.bps(c.share_bps)}`).join(", ");
    const tx: Tx = {
      what: `Register the model ${id} trained on manifest #${manifest} (makers ${makers}). It stays Registered until the community activates it.`,
      contractId: registry,
      methodName: "register_model",
      args,
      gas: REGISTRY_CALL_GAS,
      deposit: RECORD_DEPOSIT,
      contract: "model-registry",
      details: [STORAGE_NOTE],
    };
    ask(tx, (sent) => go(`/c/${dao}/m/${encodeURIComponent(String(sent.value))}`));
  };
  const field = (n: string) => (errors[n] ? <div className="field-error">{errors[n]}</div> : null);
  return (
    <section>
      <p>
        <a href={`#/c/${dao}/models`}>‹ models</a>
      </p>
      <h1>Register a model</h1>
      <p className="muted">
        Trained weights with the manifest they were trained on and who made them with their shares. The community
        activates it by a proposal, which checks the manifest.
      </p>
      <Show loaded={loaded}>
        {({ models, m }) => (
          <form onSubmit={(e) => submit(e, models)} onChange={() => setRefused(null)} noValidate>
            <TextField
              label="Model (name@version)"
              name="id"
              value={id}
              onChange={setId}
              trim
              placeholder="intents@1.0.0"
            />
            {field("id")}
            <TextField
              label="Weights sha256 (`ai-commons train` prints it)"
              name="weights"
              value={weights}
              onChange={setWeights}
              trim
            />
            <TextField
              label="Training manifest (its id)"
              name="manifest"
              value={manifest}
              onChange={setManifest}
              trim
              inputMode="numeric"
            />
            {field("manifest")}
            <p className="muted" data-testid="manifest-found">
              {manifest === ""
                ? ""
                : m
                  ? `manifest #${m.id} “${m.name}” by ${m.creator}: ${m.entries.map((x) => x.dataset_id).join(", ")}`
                  : `no manifest #${manifest} in the dataset registry: the model could be registered but never activated`}
            </p>
            <HashFile label="Training code (hashed here)" name="codeFile" onHashed={(h) => setCode(h)} />
            <TextField label="Training code sha256" name="code" value={code} onChange={setCode} trim />
            <TextField label="Framework" name="framework" value={framework} onChange={setFramework} />
            <TextField label="Architecture" name="architecture" value={architecture} onChange={setArchitecture} />
            <TextField label="License (SPDX id)" name="license" value={license} onChange={setLicense} trim />
            <TextField
              label="Makers and shares in basis points (empty: you, 10000)"
              name="creators"
              value={creators}
              onChange={setCreators}
              placeholder={`${wallet?.accountId ?? "a.testnet"}:7000,b.testnet:3000`}
            />
            {field("creators")}
            <p className="muted">
              Deposit {units.near(RECORD_DEPOSIT)}: the registry keeps what the record's storage costs and refunds the
              rest.
            </p>
            {refused ? <ProblemBox problem={refused} /> : null}
            <ReviewButton signedIn={Boolean(wallet)} action="register" />
          </form>
        )}
      </Show>
    </section>
  );
}

/** A creator form's submit button; signed out, it is disabled and says why. */
function ReviewButton({ signedIn, action }: { signedIn: boolean; action: string }) {
  return (
    <>
      <button type="submit" className="primary" disabled={!signedIn}>
        Review the transaction
      </button>
      {signedIn ? null : <p className="muted">Sign in to {action}.</p>}
    </>
  );
}
