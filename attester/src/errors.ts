// The attester's errors: a stable code (like the contracts' ERR_ codes) and a detail. No imports, so the pure parts
// (receipt.ts, verify.ts) stay usable where there is no file system (a browser app).
export class AttesterError extends Error {
  constructor(
    readonly code: string,
    detail?: string,
  ) {
    super(detail === undefined ? code : `${code}: ${detail}`);
  }
}
