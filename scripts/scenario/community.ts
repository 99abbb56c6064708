// The community story the project tells with three instruments: `npm run demo` (through the CLI's own code,
// scripts/demo/demo.ts), the flow test (sandbox-tests/flow/community.test.ts: every record and balance asserted) and
// the bench (bench/community.ts: the gas and storage of every step). The story is stated here once: who takes part and
// what each does, the datasets' creators and the model's makers with their shares, the contracts' settings (windows a
// local node passes with one fast-forward), the treasury's gift and grant, the questions asked, and what each creator
// and the attester are owed when the epoch closes. Pure: no chain, no file access.
import { NEAR, SEC } from "../../contracts/wire/units.ts";

export const COMMUNITY = {
  name: "acme",
  config: { name: "Acme commons", purpose: "own our model", metadata: "" },
} as const;

// Who takes part: account names under the chain's root account.
export const CAST = {
  // creates the community and is its council's first member; proposes
  founder: "alice",
  // joins the council by vote; executes proposals
  joiner: "bob",
  // submits the datasets (creator of both) and the manifest
  creator: "dave",
  // co-creator of the second dataset and co-maker of the model
  coCreator: "erin",
  // registers the model (its main maker)
  maker: "frank",
  // runs the model and signs receipts; bonded by the DAO
  attester: "att",
  // submits receipts, reports usage, closes the epoch
  relayer: "relayer",
} as const;
export type Role = keyof typeof CAST;

// The verifier's settings: a one-minute epoch and a two-minute challenge window, which one fast-forward of 200 blocks
// passes on a local node (docs/verifier.md).
export const VERIFIER_SETTINGS = {
  min_bond: NEAR.toString(),
  challenge_window_ns: (120n * SEC).toString(),
  max_receipt_age_ns: (600n * SEC).toString(),
  max_clock_skew_ns: (60n * SEC).toString(),
  epoch_length_ns: (60n * SEC).toString(),
};

// The reward pool's policy: half to the model's makers, 40% to the data, 10% to a parent model (none here, so it goes
// to the makers), 0.001 NEAR per accepted receipt to its attester; epochs numbered as the verifier's.
export const POOL_POLICY = {
  model_bps: 5000,
  data_bps: 4000,
  parent_bps: 1000,
  attester_fee: (NEAR / 1000n).toString(),
  epoch_length_ns: VERIFIER_SETTINGS.epoch_length_ns,
  release_bps: 10000,
};

// A supporter's gift to the treasury, the treasury's grant to the pool (a FundRewardPool proposal), and the
// attester's bond the treasury posts (AddAttester).
export const TREASURY_GIFT = 10n * NEAR;
export const POOL_GRANT = 5n * NEAR;
export const ATTESTER_BOND = NEAR;
export const MANIFEST_NAME = "community-intents";

// The story's last chapter (the demo's): the joiner leaves with his share through a fork named `name`, after the
// council adds this fork section to its policy (a one-minute window, half the weight decides, no ragequit).
export const FORK = {
  name: "spin",
  policy: { window: (60n * SEC).toString(), threshold_bps: 5000, ragequit: false },
};

export interface Share {
  account_id: string;
  share_bps: number;
}

// The creators of the i-th dataset of data/manifest.json: the first is the creator's alone, each other one 40% the
// creator's and 60% the co-creator's.
export function datasetCreators(i: number, creator: string, coCreator: string): Share[] {
  return i === 0
    ? [{ account_id: creator, share_bps: 10000 }]
    : [
        { account_id: creator, share_bps: 4000 },
        { account_id: coCreator, share_bps: 6000 },
      ];
}

// The model's makers: the maker 75%, the co-creator 25%.
export function modelMakers(maker: string, coCreator: string): Share[] {
  return [
    { account_id: maker, share_bps: 7500 },
    { account_id: coCreator, share_bps: 2500 },
  ];
}

// Shares as the CLI's `--creators` flag takes them: "account:bps,account:bps".
export function sharesFlag(shares: Share[]): string {
  return shares.map((s) => `${s.account_id}:${s.share_bps}`).join(",");
}

// What the community asks its model, one receipt each.
export const QUESTIONS = [
  "the council should vote on the treasury budget",
  "this csv file has personal data to remove",
  "retrain the classifier with a smaller learning rate",
  "when will the reward pool pay the creators",
];

const BPS = 10000n;

// What each account is owed once the epoch closes with `budget` (close_epoch's answer), worked out here from the
// policy and the shares, apart from the pool's code: the data's part split evenly between the datasets (rounded down
// to whole basis points of a slot), the model's part (with the parent's, as there is none) to the makers, and the
// attester's fee per receipt on top. One model, every receipt of it.
export function owedAtClose(
  budget: bigint,
  o: { datasets: Share[][]; makers: Share[]; attester: string; receipts: number; policy?: typeof POOL_POLICY },
): Map<string, bigint> {
  const policy = o.policy ?? POOL_POLICY;
  const owed = new Map<string, bigint>();
  const add = (account: string, amount: bigint) => owed.set(account, (owed.get(account) ?? 0n) + amount);
  const dataPart = (budget * BigInt(policy.data_bps)) / BPS;
  const modelPart = budget - dataPart;
  const toModel = modelPart - (modelPart % BPS);
  const slot = (dataPart / (BigInt(o.datasets.length) * BPS)) * BPS;
  for (const m of o.makers) add(m.account_id, (BigInt(m.share_bps) * toModel) / BPS);
  for (const creators of o.datasets) for (const c of creators) add(c.account_id, (BigInt(c.share_bps) * slot) / BPS);
  add(o.attester, BigInt(policy.attester_fee) * BigInt(o.receipts));
  return owed;
}
