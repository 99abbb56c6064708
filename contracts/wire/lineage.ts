// The model registry's lineage push to the reward pool (reward_pool.register_lineage): who made a model version, its
// parent and its training datasets with their creators, in parts of at most LINEAGE_PART_ENTRIES creator entries.
// Here creators carry `bps` (the registries' records say `share_bps`). Data only. Beside a part's fields the registry
// sends `payer` (its DAO, whose activation deposit pays the part): the pool refunds what the records do not use there.

export const LINEAGE_PART_ENTRIES = 100;
// the most parts one model version's lineage may have
export const LINEAGE_MAX_PARTS = 1000;

export interface LineageCreator {
  account_id: string;
  bps: number;
}

export interface LineageDataset {
  dataset_id: string;
  creators: LineageCreator[];
}

// A model version by name and version; V is string on the wire (the pool also takes older callers' integers).
export interface ModelRef<V = string> {
  model_name: string;
  model_version: V;
}

// One part as the model registry sends it: every field present; the parent only in part 0.
export interface LineagePart<V = string> extends ModelRef<V> {
  model_creators: LineageCreator[];
  parent: ModelRef<V> | null;
  datasets: LineageDataset[];
  part: number;
  total_parts: number;
}

// What the pool accepts: the same, with integer versions and the optional fields defaulted (one part, no parent).
export type LineagePartInput = ModelRef<number | string> &
  Partial<Omit<LineagePart<number | string>, "model_name" | "model_version">>;
