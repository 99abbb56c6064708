// Runtime parameters of nearcore protocol 77 (the version near-sandbox 0.1.5's nearcore 2.6.2 runs).
// Shared by the chain layer (transaction and action fees) and the VM layer (host-function costs).

export const PROTOCOL_VERSION = 77;

/** A fee charged on send (split by whether sender == receiver: "sir") and on execution. */
export interface Fee {
  sendSir: bigint;
  sendNotSir: bigint;
  execution: bigint;
}

const fee = (sendSir: bigint, sendNotSir: bigint, execution: bigint): Fee => ({ sendSir, sendNotSir, execution });
const flat = (v: bigint): Fee => fee(v, v, v);

export function sendFee(f: Fee, sir: boolean): bigint {
  return sir ? f.sendSir : f.sendNotSir;
}

export const ACTION_FEES = {
  actionReceiptCreation: flat(108_059_500_000n),
  dataReceiptBase: flat(36_486_732_312n),
  dataReceiptPerByte: fee(17_212_011n, 47_683_715n, 17_212_011n),
  createAccount: flat(3_850_000_000_000n),
  deployContractBase: flat(184_765_750_000n),
  deployContractPerByte: fee(6_812_999n, 47_683_715n, 64_572_944n),
  functionCallBase: fee(200_000_000_000n, 200_000_000_000n, 780_000_000_000n),
  functionCallPerByte: fee(2_235_934n, 47_683_715n, 2_235_934n),
  transfer: flat(115_123_062_500n),
  stake: fee(141_715_687_500n, 141_715_687_500n, 102_217_625_000n),
  addKeyFullAccess: flat(101_765_125_000n),
  addKeyFunctionCallBase: flat(102_217_625_000n),
  addKeyFunctionCallPerByte: fee(1_925_331n, 47_683_715n, 1_925_331n),
  deleteKey: flat(94_946_625_000n),
  deleteAccount: flat(147_489_000_000n),
} as const;

/** Host-function costs in gas (ExtCosts). */
export const EXT_COSTS = {
  base: 264_768_111n,
  contractLoadingBase: 35_445_963n,
  contractLoadingBytes: 1_089_295n,
  readMemoryBase: 2_609_863_200n,
  readMemoryByte: 3_801_333n,
  writeMemoryBase: 2_803_794_861n,
  writeMemoryByte: 2_723_772n,
  readRegisterBase: 2_517_165_186n,
  readRegisterByte: 98_562n,
  writeRegisterBase: 2_865_522_486n,
  writeRegisterByte: 3_801_564n,
  utf8DecodingBase: 3_111_779_061n,
  utf8DecodingByte: 291_580_479n,
  utf16DecodingBase: 3_543_313_050n,
  utf16DecodingByte: 163_577_493n,
  sha256Base: 4_540_970_250n,
  sha256Byte: 24_117_351n,
  keccak256Base: 5_879_491_275n,
  keccak256Byte: 21_471_105n,
  keccak512Base: 5_811_388_236n,
  keccak512Byte: 36_649_701n,
  ripemd160Base: 853_675_086n,
  ripemd160Block: 680_107_584n,
  ecrecoverBase: 278_821_988_457n,
  ed25519VerifyBase: 210_000_000_000n,
  ed25519VerifyByte: 9_000_000n,
  logBase: 3_543_313_050n,
  logByte: 13_198_791n,
  storageWriteBase: 64_196_736_000n,
  storageWriteKeyByte: 70_482_867n,
  storageWriteValueByte: 31_018_539n,
  storageWriteEvictedByte: 32_117_307n,
  storageReadBase: 56_356_845_749n,
  storageReadKeyByte: 30_952_533n,
  storageReadValueByte: 5_611_004n,
  storageRemoveBase: 53_473_030_500n,
  storageRemoveKeyByte: 38_220_384n,
  storageRemoveRetValueByte: 11_531_556n,
  storageHasKeyBase: 54_039_896_625n,
  storageHasKeyByte: 30_790_845n,
  touchingTrieNode: 16_101_955_926n,
  readCachedTrieNode: 2_280_000_000n,
  promiseAndBase: 1_465_013_400n,
  promiseAndPerPromise: 5_452_176n,
  promiseReturn: 560_152_386n,
  validatorStakeBase: 911_834_726_400n,
  validatorTotalStakeBase: 911_834_726_400n,
  altBn128G1MultiexpBase: 713_000_000_000n,
  altBn128G1MultiexpElement: 320_000_000_000n,
  altBn128G1SumBase: 3_000_000_000n,
  altBn128G1SumElement: 5_000_000_000n,
  altBn128PairingCheckBase: 9_686_000_000_000n,
  altBn128PairingCheckElement: 5_102_000_000_000n,
} as const;

/** Every wasm operator except block/end/else costs this much (regular_op_cost). */
export const REGULAR_OP_COST = 822_756n;

export const LIMITS = {
  maxGasBurnt: 300_000_000_000_000n,
  maxTotalPrepaidGas: 300_000_000_000_000n,
  maxActionsPerReceipt: 100,
  maxNumberLogs: 100,
  maxTotalLogLength: 16_384,
  maxNumberRegisters: 100,
  maxRegisterSize: 104_857_600,
  maxTotalRegisterSize: 1_073_741_824,
  maxPromisesPerFunctionCallAction: 1024,
  maxNumberInputDataDependencies: 128,
  maxStorageKeyLength: 2048,
  maxStorageValueLength: 4_194_304,
  maxContractSize: 4_194_304,
  maxArgumentsLength: 4_194_304,
  maxLengthMethodName: 256,
  maxLengthReturnedData: 4_194_304,
  maxTransactionSize: 1_572_864,
  maxFunctionsNumberPerContract: 10_000,
  maxStackHeight: 262_144,
  initialMemoryPages: 1024,
  maxMemoryPages: 2048,
  registrarAccountId: "registrar",
  minAllowedTopLevelAccountLength: 65,
} as const;

export const ECONOMICS = {
  /** yoctoNEAR per byte of storage (1 NEAR per 100 KB) */
  storageAmountPerByte: 10_000_000_000_000_000_000n,
  minGasPrice: 100_000_000n,
  /** share of a receipt's VM-burnt gas credited to the receiving contract, as a fraction */
  burntGasRewardNumerator: 3n,
  burntGasRewardDenominator: 10n,
  accountStorageBytes: 100n,
  /** storage_usage_config: num_extra_bytes_record */
  numExtraBytesRecord: 40n,
  fullAccessKeyStorageBytes: 82n,
  epochLength: 500n,
  transactionValidityPeriod: 100n,
} as const;
