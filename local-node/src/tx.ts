// Signed transactions: borsh decoding (@near-js/transactions 2.5.1, installed as near-js-transactions-2 beside the
// 1.3.3 that near-api-js 5 and near-workspaces need: 2.x knows the global-contract actions), signature check, stateless validation
// (nearcore validate_actions / size limits) and the JSON views of actions.
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1";
import * as nearTransactions from "near-js-transactions-2";
import { LIMITS } from "./runtime-config.ts";
import { b58, b64, concat, isValidAccountId, type PublicKeyInfo, publicKeyFromBytes, sha256 } from "./util.ts";
import type { AccessKeyPermission, ReceiptAction } from "./vm/types.ts";

export interface DecodedTx {
  signerId: string;
  publicKey: PublicKeyInfo;
  nonce: bigint;
  receiverId: string;
  blockHash: string;
  actions: ReceiptAction[];
  hash: Uint8Array;
  hashB58: string;
  signatureText: string;
  signatureValid: boolean;
  size: number;
}

export class TxDecodeError extends Error {}

// The package's ESM typings re-export without file extensions, which "nodenext" resolution cannot follow;
// the runtime (esbuild bundle, tsx) resolves them fine, so the functions used are typed here.
const { encodeTransaction, encodeDelegateAction, SignedTransaction } = nearTransactions as unknown as {
  encodeTransaction(tx: unknown): Uint8Array;
  /** borsh(SignableMessage): u32 discriminant 2^30 + 366 (NEP-461) then borsh(DelegateAction) */
  encodeDelegateAction(delegateAction: unknown): Uint8Array;
  SignedTransaction: { decode(bytes: Uint8Array): unknown };
};

// biome-ignore lint/suspicious/noExplicitAny: borsh-decoded plain objects from @near-js/transactions
type Borsh = any;

function bytesOf(v: Borsh): Uint8Array {
  return v instanceof Uint8Array ? v : Uint8Array.from(v as number[]);
}

function keyFromBorsh(pk: Borsh): PublicKeyInfo {
  const raw = pk.ed25519Key
    ? concat(Uint8Array.of(0), bytesOf(pk.ed25519Key.data))
    : concat(Uint8Array.of(1), bytesOf(pk.secp256k1Key?.data ?? []));
  const info = publicKeyFromBytes(raw);
  if (!info) throw new TxDecodeError("invalid public key");
  return info;
}

function permissionFromBorsh(p: Borsh): AccessKeyPermission {
  if (p.fullAccess !== undefined) return { kind: "FullAccess" };
  const fc = p.functionCall;
  return {
    kind: "FunctionCall",
    allowance: fc.allowance === undefined || fc.allowance === null ? null : BigInt(fc.allowance),
    receiverId: fc.receiverId,
    methodNames: fc.methodNames,
  };
}

function signatureFromBorsh(sig: Borsh): { isEd: boolean; bytes: Uint8Array; text: string } {
  const isEd = sig.ed25519Signature !== undefined;
  const bytes = bytesOf(sig.ed25519Signature?.data ?? sig.secp256k1Signature?.data ?? []);
  return { isEd, bytes, text: `${isEd ? "ed25519" : "secp256k1"}:${b58(bytes)}` };
}

/** nearcore SignedDelegateAction: the inner actions are NonDelegateAction (a nested delegate fails to decode), the
 * signature covers sha256(borsh(SignableMessage{2^30 + 366, DelegateAction})) (get_nep461_hash). */
function delegateFromBorsh(sd: Borsh): ReceiptAction {
  const d = sd.delegateAction;
  const actions = (d.actions as Borsh[]).map((a) => {
    if (a.signedDelegate !== undefined) throw new TxDecodeError("DelegateAction mustn't contain a nested one");
    return actionFromBorsh(a);
  });
  const publicKey = keyFromBorsh(d.publicKey);
  const sig = signatureFromBorsh(sd.signature);
  const hash = sha256(encodeDelegateAction(d));
  return {
    kind: "Delegate",
    delegate: {
      senderId: d.senderId,
      receiverId: d.receiverId,
      actions,
      nonce: BigInt(d.nonce),
      maxBlockHeight: BigInt(d.maxBlockHeight),
      publicKey: publicKey.bytes,
    },
    signature: { text: sig.text, valid: verifySignature(publicKey, sig.isEd, sig.bytes, hash) },
  };
}

function actionFromBorsh(a: Borsh): ReceiptAction {
  if (a.signedDelegate) return delegateFromBorsh(a.signedDelegate);
  if (a.createAccount) return { kind: "CreateAccount" };
  if (a.deployContract) return { kind: "DeployContract", code: bytesOf(a.deployContract.code) };
  if (a.functionCall) {
    const f = a.functionCall;
    return {
      kind: "FunctionCall",
      methodName: f.methodName,
      args: bytesOf(f.args),
      gas: BigInt(f.gas),
      deposit: BigInt(f.deposit),
    };
  }
  if (a.transfer) return { kind: "Transfer", deposit: BigInt(a.transfer.deposit) };
  if (a.stake) return { kind: "Stake", stake: BigInt(a.stake.stake), publicKey: keyFromBorsh(a.stake.publicKey).bytes };
  if (a.addKey) {
    return {
      kind: "AddKey",
      publicKey: keyFromBorsh(a.addKey.publicKey).bytes,
      nonce: BigInt(a.addKey.accessKey.nonce),
      permission: permissionFromBorsh(a.addKey.accessKey.permission),
    };
  }
  if (a.deleteKey) return { kind: "DeleteKey", publicKey: keyFromBorsh(a.deleteKey.publicKey).bytes };
  if (a.deleteAccount) return { kind: "DeleteAccount", beneficiaryId: a.deleteAccount.beneficiaryId };
  if (a.deployGlobalContract) {
    const g = a.deployGlobalContract;
    return {
      kind: "DeployGlobalContract",
      code: bytesOf(g.code),
      mode: g.deployMode.AccountId !== undefined ? "AccountId" : "CodeHash",
    };
  }
  if (a.useGlobalContract) {
    const id = a.useGlobalContract.contractIdentifier;
    return {
      kind: "UseGlobalContract",
      identifier: id.AccountId !== undefined ? { accountId: id.AccountId } : { hash: b58(bytesOf(id.CodeHash)) },
    };
  }
  throw new TxDecodeError("unsupported action");
}

/** Decodes a borsh SignedTransaction; throws TxDecodeError with a message for the RPC parse error. */
export function decodeSignedTx(bytes: Uint8Array): DecodedTx {
  let st: Borsh;
  try {
    st = SignedTransaction.decode(bytes);
  } catch (e) {
    throw new TxDecodeError(`Failed to decode transaction: ${(e as Error).message}`);
  }
  const t = st.transaction;
  // the signed message is sha256(borsh(Transaction)); re-encoding also rejects trailing garbage
  let txBytes: Uint8Array;
  try {
    txBytes = encodeTransaction(t);
  } catch (e) {
    throw new TxDecodeError(`Failed to decode transaction: ${(e as Error).message}`);
  }
  const sig = signatureFromBorsh(st.signature);
  const sigBytes = sig.bytes;
  if (txBytes.length + 1 + sigBytes.length !== bytes.length) {
    throw new TxDecodeError("Failed to decode transaction: unexpected trailing bytes");
  }
  let actions: ReceiptAction[];
  let publicKey: PublicKeyInfo;
  try {
    publicKey = keyFromBorsh(t.publicKey);
    actions = (t.actions as Borsh[]).map(actionFromBorsh);
  } catch (e) {
    throw new TxDecodeError(`Failed to decode transaction: ${(e as Error).message}`);
  }
  const hash = sha256(txBytes);
  const isEd = sig.isEd;
  return {
    signerId: t.signerId,
    publicKey,
    nonce: BigInt(t.nonce),
    receiverId: t.receiverId,
    blockHash: b58(bytesOf(t.blockHash)),
    actions,
    hash,
    hashB58: b58(hash),
    signatureText: sig.text,
    signatureValid: verifySignature(publicKey, isEd, sigBytes, hash),
    size: bytes.length,
  };
}

const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** Ed25519 through node:crypto (OpenSSL, RFC 8032): about 15x faster than a pure-JS verify. */
function ed25519Verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean {
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
  return nodeVerify(null, msg, key, sig);
}

function verifySignature(pk: PublicKeyInfo, isEd: boolean, sig: Uint8Array, hash: Uint8Array): boolean {
  try {
    if (pk.bytes[0] === 0) return isEd && sig.length === 64 && ed25519Verify(sig, hash, pk.bytes.subarray(1));
    if (isEd || sig.length !== 65) return false;
    // nearcore secp256k1: 64-byte uncompressed key without prefix, signature r||s||v over the 32-byte hash
    const full = concat(Uint8Array.of(4), pk.bytes.subarray(1));
    return secp256k1.verify(sig.subarray(0, 64), hash, full, { prehash: false, lowS: false });
  } catch {
    return false;
  }
}

/** nearcore validate_actions: returns the ActionsValidationError JSON, or undefined when valid. */
export function validateActions(actions: ReceiptAction[]): unknown {
  if (actions.length > LIMITS.maxActionsPerReceipt) {
    return {
      TotalNumberOfActionsExceeded: { total_number_of_actions: actions.length, limit: LIMITS.maxActionsPerReceipt },
    };
  }
  // protocol 84: at most 10 deploy actions (local or global) per receipt
  const deploys = actions.filter((a) => a.kind === "DeployContract" || a.kind === "DeployGlobalContract").length;
  if (deploys > LIMITS.maxDeployActionsPerReceipt) {
    return {
      TotalNumberOfDeployActionsExceeded: {
        number_of_deploy_actions: deploys,
        limit: LIMITS.maxDeployActionsPerReceipt,
      },
    };
  }
  let prepaid = 0n;
  let foundDelegate = false;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (i > 0 && actions[i - 1].kind === "DeleteAccount") return "DeleteActionMustBeFinal";
    if (a.kind === "Delegate") {
      if (foundDelegate) return "DelegateActionMustBeOnlyOne";
      foundDelegate = true;
    }
    switch (a.kind) {
      case "Delegate": {
        // validate_delegate_action: the inner actions as a receipt's; their attached gas counts in the total
        const inner = validateActions(a.delegate.actions);
        if (inner !== undefined) return inner;
        prepaid += totalInnerGas(a.delegate.actions);
        break;
      }
      case "DeployContract":
        if (a.code.length > LIMITS.maxContractSize) {
          return { ContractSizeExceeded: { size: a.code.length, limit: LIMITS.maxContractSize } };
        }
        break;
      case "FunctionCall": {
        if (a.gas === 0n) return "FunctionCallZeroAttachedGas";
        const len = Buffer.byteLength(a.methodName);
        if (len > LIMITS.maxLengthMethodName) {
          return { FunctionCallMethodNameLengthExceeded: { length: len, limit: LIMITS.maxLengthMethodName } };
        }
        if (a.args.length > LIMITS.maxArgumentsLength) {
          return { FunctionCallArgumentsLengthExceeded: { length: a.args.length, limit: LIMITS.maxArgumentsLength } };
        }
        prepaid += a.gas;
        break;
      }
      case "Stake":
        if (a.publicKey[0] !== 0)
          return { UnsuitableStakingKey: { public_key: publicKeyFromBytes(a.publicKey)?.text } };
        break;
      case "AddKey":
        if (a.permission.kind === "FunctionCall") {
          let total = 0;
          for (const m of a.permission.methodNames) {
            const l = Buffer.byteLength(m);
            if (l > LIMITS.maxLengthMethodName) {
              return { AddKeyMethodNameLengthExceeded: { length: l, limit: LIMITS.maxLengthMethodName } };
            }
            total += l;
          }
          if (total > 2000) {
            return { AddKeyMethodNamesNumberOfBytesExceeded: { total_number_of_bytes: total, limit: 2000 } };
          }
          if (!isValidAccountId(a.permission.receiverId)) {
            return { InvalidAccountId: { account_id: a.permission.receiverId } };
          }
        }
        break;
      case "DeleteAccount":
        if (!isValidAccountId(a.beneficiaryId)) return { InvalidAccountId: { account_id: a.beneficiaryId } };
        break;
      case "DeployGlobalContract":
        if (a.code.length > LIMITS.maxContractSize) {
          return { ContractSizeExceeded: { size: a.code.length, limit: LIMITS.maxContractSize } };
        }
        break;
      case "UseGlobalContract":
        if ("accountId" in a.identifier && !isValidAccountId(a.identifier.accountId)) {
          return { InvalidAccountId: { account_id: a.identifier.accountId } };
        }
        break;
      default:
        break;
    }
  }
  if (prepaid > LIMITS.maxTotalPrepaidGas) {
    return {
      TotalPrepaidGasExceeded: { total_prepaid_gas: Number(prepaid), limit: Number(LIMITS.maxTotalPrepaidGas) },
    };
  }
  return undefined;
}

function totalInnerGas(actions: ReceiptAction[]): bigint {
  return actions.reduce((n, a) => n + (a.kind === "FunctionCall" ? a.gas : 0n), 0n);
}

export function permissionView(p: AccessKeyPermission): unknown {
  if (p.kind === "FullAccess") return "FullAccess";
  return {
    FunctionCall: {
      allowance: p.allowance === null ? null : p.allowance.toString(),
      receiver_id: p.receiverId,
      method_names: p.methodNames,
    },
  };
}

/** nearcore ActionView. */
export function actionView(a: ReceiptAction): unknown {
  switch (a.kind) {
    case "CreateAccount":
      return "CreateAccount";
    case "DeployContract":
      return { DeployContract: { code: b64(sha256(a.code)) } };
    case "DeployGlobalContract":
      // nearcore's view shows the code's hash, as for DeployContract
      return a.mode === "CodeHash"
        ? { DeployGlobalContract: { code: b64(sha256(a.code)) } }
        : { DeployGlobalContractByAccountId: { code: b64(sha256(a.code)) } };
    case "UseGlobalContract":
      return "hash" in a.identifier
        ? { UseGlobalContract: { code_hash: a.identifier.hash } }
        : { UseGlobalContractByAccountId: { account_id: a.identifier.accountId } };
    case "FunctionCall":
      return {
        FunctionCall: {
          method_name: a.methodName,
          args: b64(a.args),
          gas: Number(a.gas),
          deposit: a.deposit.toString(),
        },
      };
    case "Transfer":
      return { Transfer: { deposit: a.deposit.toString() } };
    case "Stake":
      return { Stake: { stake: a.stake.toString(), public_key: publicKeyFromBytes(a.publicKey)?.text } };
    case "AddKey":
      return {
        AddKey: {
          public_key: publicKeyFromBytes(a.publicKey)?.text,
          access_key: { nonce: Number(a.nonce), permission: permissionView(a.permission) },
        },
      };
    case "DeleteKey":
      return { DeleteKey: { public_key: publicKeyFromBytes(a.publicKey)?.text } };
    case "DeleteAccount":
      return { DeleteAccount: { beneficiary_id: a.beneficiaryId } };
    case "Delegate":
      return { Delegate: { delegate_action: delegateActionJson(a.delegate), signature: a.signature.text } };
  }
}

/** nearcore's serde form of a DelegateAction (ActionView::Delegate holds it as is, not as views): the inner actions
 * are plain `Action`s, so a deploy shows its whole code in base64 and CreateAccount is an empty object. */
export function delegateActionJson(d: Extract<ReceiptAction, { kind: "Delegate" }>["delegate"]): unknown {
  return {
    sender_id: d.senderId,
    receiver_id: d.receiverId,
    actions: d.actions.map(actionJson),
    nonce: Number(d.nonce),
    max_block_height: Number(d.maxBlockHeight),
    public_key: publicKeyFromBytes(d.publicKey)?.text,
  };
}

/** nearcore Action's serde JSON (used inside DelegateAction). */
function actionJson(a: ReceiptAction): unknown {
  switch (a.kind) {
    case "CreateAccount":
      return { CreateAccount: {} };
    case "DeployContract":
      return { DeployContract: { code: b64(a.code) } };
    case "DeployGlobalContract":
      return { DeployGlobalContract: { code: b64(a.code), deploy_mode: a.mode } };
    case "UseGlobalContract":
      return {
        UseGlobalContract: {
          contract_identifier:
            "hash" in a.identifier ? { CodeHash: a.identifier.hash } : { AccountId: a.identifier.accountId },
        },
      };
    default:
      return actionView(a);
  }
}
