// Function-call errors with nearcore's Display and Debug texts (near-vm-runner logic/errors.rs), so that failed
// calls read `{"ExecutionError":"Smart contract panicked: x"}` and failed views read
// `wasm execution failed with error: HostError(GuestPanic { panic_msg: "x" })` exactly as near-sandbox prints them.

import type { VmError } from "./types.ts";

type FieldValue = string | bigint | number;

/** Rust's `{:?}` for a str: quotes, and escapes for backslash, quote and control characters. */
function rustDebugString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\0") out += "\\0";
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

function debugFields(name: string, fields: [string, FieldValue][]): string {
  if (fields.length === 0) return name;
  const body = fields.map(([k, v]) => `${k}: ${typeof v === "string" ? rustDebugString(v) : v.toString()}`);
  return `${name} { ${body.join(", ")} }`;
}

/** A nearcore HostError raised by a host function (or by gas accounting). Thrown through the wasm frames. */
export class HostError extends Error {
  constructor(
    readonly variant: string,
    readonly fields: [string, FieldValue][] = [],
    display?: string,
  ) {
    super(display ?? variant);
  }

  get debug(): string {
    return debugFields(this.variant, this.fields);
  }
}

const field = (e: HostError, k: string): FieldValue => e.fields.find(([n]) => n === k)?.[1] ?? "";

/** An amount over its limit: fields `<key>` and `limit`, text "<what> <value> exceeds the limit <limit>". */
const overLimit = (variant: string, key: string, what: string) => (value: number | bigint, limit: number) =>
  new HostError(
    variant,
    [
      [key, value],
      ["limit", limit],
    ],
    `${what} ${value} exceeds the limit ${limit}`,
  );

// Display texts of HostError, copied in meaning from nearcore's `impl Display for HostError`.
export const hostErrors = {
  badUtf8: () => new HostError("BadUTF8", [], "String encoding is bad UTF-8 sequence."),
  badUtf16: () => new HostError("BadUTF16", [], "String encoding is bad UTF-16 sequence."),
  gasExceeded: () => new HostError("GasExceeded", [], "Exceeded the prepaid gas."),
  gasLimitExceeded: () =>
    new HostError("GasLimitExceeded", [], "Exceeded the maximum amount of gas allowed to burn per contract."),
  balanceExceeded: () => new HostError("BalanceExceeded", [], "Exceeded the account balance."),
  emptyMethodName: () => new HostError("EmptyMethodName", [], "Tried to call an empty method name."),
  guestPanic: (msg: string) => new HostError("GuestPanic", [["panic_msg", msg]], `Smart contract panicked: ${msg}`),
  integerOverflow: () => new HostError("IntegerOverflow", [], "Integer overflow."),
  invalidPromiseIndex: (idx: bigint) =>
    new HostError("InvalidPromiseIndex", [["promise_idx", idx]], `${idx} does not correspond to existing promises`),
  cannotAppendActionToJointPromise: () =>
    new HostError("CannotAppendActionToJointPromise", [], "Actions can only be appended to non-joint promise."),
  cannotReturnJointPromise: () =>
    new HostError("CannotReturnJointPromise", [], "Returning joint promise is currently prohibited."),
  invalidPromiseResultIndex: (idx: bigint) =>
    new HostError("InvalidPromiseResultIndex", [["result_idx", idx]], `Accessed invalid promise result index: ${idx}`),
  invalidRegisterId: (id: bigint) =>
    new HostError("InvalidRegisterId", [["register_id", id]], `Accessed invalid register id: ${id}`),
  memoryAccessViolation: () => new HostError("MemoryAccessViolation", [], "Accessed memory outside the bounds."),
  invalidAccountId: () => new HostError("InvalidAccountId", [], "VM Logic returned an invalid account id"),
  invalidMethodName: () => new HostError("InvalidMethodName", [], "VM Logic returned an invalid method name"),
  invalidPublicKey: () => new HostError("InvalidPublicKey", [], "VM Logic provided an invalid public key"),
  prohibitedInView: (method: string) =>
    new HostError("ProhibitedInView", [["method_name", method]], `${method} is not allowed in view calls`),
  numberOfLogsExceeded: (limit: number) =>
    new HostError("NumberOfLogsExceeded", [["limit", limit]], `The number of logs will exceed the limit ${limit}`),
  keyLengthExceeded: overLimit("KeyLengthExceeded", "length", "The length of a storage key"),
  valueLengthExceeded: overLimit("ValueLengthExceeded", "length", "The length of a storage value"),
  totalLogLengthExceeded: overLimit("TotalLogLengthExceeded", "length", "The length of a log message"),
  numberPromisesExceeded: overLimit(
    "NumberPromisesExceeded",
    "number_of_promises",
    "The number of promises within a FunctionCall",
  ),
  numberInputDataDependenciesExceeded: overLimit(
    "NumberInputDataDependenciesExceeded",
    "number_of_input_data_dependencies",
    "The number of input data dependencies",
  ),
  returnedValueLengthExceeded: overLimit("ReturnedValueLengthExceeded", "length", "The length of a returned value"),
  contractSizeExceeded: overLimit(
    "ContractSizeExceeded",
    "size",
    "The size of a contract code in DeployContract action",
  ),
  deprecated: (method: string) =>
    new HostError("Deprecated", [["method_name", method]], `Attempted to call deprecated host function ${method}`),
  ecrecover: (msg: string) => new HostError("ECRecoverError", [["msg", msg]], `ECDSA recover error: ${msg}`),
  altBn128: (msg: string) => new HostError("AltBn128InvalidInput", [["msg", msg]], `AltBn128 invalid input: ${msg}`),
  ed25519: (msg: string) =>
    new HostError("Ed25519VerifyInvalidInput", [["msg", msg]], `ED25519 signature verification error: ${msg}`),
} as const;

type WasmTrapKind =
  | "Unreachable"
  | "IncorrectCallIndirectSignature"
  | "MemoryOutOfBounds"
  | "CallIndirectOOB"
  | "IllegalArithmetic"
  | "MisalignedAtomicAccess"
  | "IndirectCallToNull"
  | "StackOverflow"
  | "GenericTrap";

const TRAP_TEXT: Record<WasmTrapKind, string> = {
  Unreachable: "An `unreachable` opcode was executed.",
  IncorrectCallIndirectSignature: "Call indirect incorrect signature trap.",
  MemoryOutOfBounds: "Memory out of bounds trap.",
  CallIndirectOOB: "Call indirect out of bounds trap.",
  IllegalArithmetic: "An arithmetic exception, e.g. divided by zero.",
  MisalignedAtomicAccess: "Misaligned atomic access trap.",
  IndirectCallToNull: "Indirect call to null.",
  StackOverflow: "Stack overflow.",
  GenericTrap: "Generic trap.",
};

/** Maps a V8 trap (RuntimeError / RangeError) to nearcore's WasmTrap kind. */
export function trapKindOf(err: Error): WasmTrapKind {
  if (err instanceof RangeError) return "StackOverflow";
  const m = err.message;
  if (m.includes("unreachable")) return "Unreachable";
  if (m.includes("memory access out of bounds") || m.includes("data segment")) return "MemoryOutOfBounds";
  if (m.includes("divide by zero") || m.includes("remainder by zero")) return "IllegalArithmetic";
  if (m.includes("divide result unrepresentable") || m.includes("float unrepresentable")) return "IllegalArithmetic";
  if (m.includes("null function") || m.includes("uninitialized element")) return "IndirectCallToNull";
  if (m.includes("table index is out of bounds")) return "CallIndirectOOB";
  if (m.includes("function signature mismatch") || m.includes("null function or function signature mismatch")) {
    return "IncorrectCallIndirectSignature";
  }
  return "GenericTrap";
}

export type PrepareErrorKind =
  | "Serialization"
  | "Deserialization"
  | "InternalMemoryDeclared"
  | "GasInstrumentation"
  | "StackHeightInstrumentation"
  | "Instantiate"
  | "Memory"
  | "TooManyFunctions"
  | "TooManyLocals";

const PREPARE_TEXT: Record<PrepareErrorKind, string> = {
  Serialization: "Error happened while serializing the module.",
  Deserialization: "Error happened while deserializing the module.",
  InternalMemoryDeclared: "Internal memory declaration has been found in the module.",
  GasInstrumentation: "Gas instrumentation failed.",
  StackHeightInstrumentation: "Stack instrumentation failed.",
  Instantiate: "Error happened during instantiation.",
  Memory: "Error creating memory.",
  TooManyFunctions: "Too many functions in contract.",
  TooManyLocals: "Too many locals declared in the contract.",
};

export class PrepareError extends Error {
  constructor(readonly kind: PrepareErrorKind) {
    super(PREPARE_TEXT[kind]);
  }
}

/** nearcore's FunctionCallError, the `aborted` part of a VM outcome. */
export type FunctionCallError =
  | { type: "HostError"; error: HostError }
  | { type: "WasmTrap"; trap: WasmTrapKind }
  | { type: "MethodResolveError"; kind: "MethodEmptyName" | "MethodNotFound" | "MethodInvalidSignature" }
  | { type: "CompilationError"; kind: PrepareErrorKind }
  | { type: "LinkError"; msg: string };

/** The `{:?}` form used in view errors: `wasm execution failed with error: <this>`. */
export function debugOf(e: FunctionCallError): string {
  switch (e.type) {
    case "HostError":
      return `HostError(${e.error.debug})`;
    case "WasmTrap":
      return `WasmTrap(${e.trap})`;
    case "MethodResolveError":
      return `MethodResolveError(${e.kind})`;
    case "CompilationError":
      return `CompilationError(PrepareError(${e.kind}))`;
    case "LinkError":
      return `LinkError { msg: ${rustDebugString(e.msg)} }`;
  }
}

/** The `Display` form nearcore stores in ExecutionError strings. */
function displayOf(e: FunctionCallError): string {
  switch (e.type) {
    case "HostError":
      return e.error.message;
    case "WasmTrap":
      return `WebAssembly trap: ${TRAP_TEXT[e.trap]}`;
    case "MethodResolveError":
      return e.kind;
    case "CompilationError":
      return `PrepareError: ${PREPARE_TEXT[e.kind]}`;
    case "LinkError":
      return e.msg;
  }
}

/** Converts to the chain-facing VmError (see types.ts). */
export function toVmError(e: FunctionCallError): VmError {
  switch (e.type) {
    case "HostError":
      if (e.error.variant === "ProhibitedInView") {
        return { kind: "ProhibitedInView", methodName: String(field(e.error, "method_name")) };
      }
      return { kind: "ExecutionError", message: displayOf(e) };
    case "WasmTrap":
      return { kind: "ExecutionError", message: displayOf(e) };
    case "MethodResolveError":
      if (e.kind === "MethodNotFound") return { kind: "MethodNotFound" };
      if (e.kind === "MethodEmptyName") return { kind: "MethodEmptyName" };
      return { kind: "Other", message: "MethodInvalidSignature" };
    case "CompilationError":
      return { kind: "CompilationError", message: displayOf(e), prepareError: e.kind };
    case "LinkError":
      return { kind: "Other", message: e.msg };
  }
}
