// Writes the project's training data, data/*.tsv: short community messages labelled with their intent, one
// "<label>\t<text>" per line. Made here from fixed phrase lists in a fixed order (no randomness, no download), so
// the files, their sha256 and the model trained on them are the same on every machine. Run:
//   npx tsx attester/src/make-data.ts        (rewrites data/*.tsv and data/manifest.json)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DATA_DIR, writeManifest } from "./data.ts";

export const LABELS = ["governance", "dataset", "model", "rewards"] as const;

const PHRASES: Record<(typeof LABELS)[number], { subjects: string[]; actions: string[] }> = {
  governance: {
    subjects: ["the council", "our dao", "every member", "the guardian", "this proposal", "the community"],
    actions: [
      "should vote on the new policy",
      "needs a quorum before friday",
      "can veto the treasury transfer",
      "asks members to delegate their votes",
      "wants a longer voting period",
      "must approve the budget first",
    ],
  },
  dataset: {
    subjects: ["this dataset", "the csv file", "our corpus", "the labelled sentences", "the new data", "that archive"],
    actions: [
      "has duplicate rows to clean",
      "needs a datasheet and a license",
      "was withdrawn by its creator",
      "contains personal data to remove",
      "should be admitted to the registry",
      "is missing its content hash",
    ],
  },
  model: {
    subjects: ["the classifier", "version two", "the model", "our checkpoint", "the trained weights", "the network"],
    actions: [
      "predicts the wrong label too often",
      "should be retrained on fresh data",
      "reaches better accuracy than before",
      "needs a smaller learning rate",
      "was activated in the registry",
      "overfits the training sentences",
    ],
  },
  rewards: {
    subjects: ["the reward pool", "each creator", "my payout", "this epoch", "the contributors", "our treasury"],
    actions: [
      "should pay creators by usage",
      "has not been distributed yet",
      "earned more tokens this month",
      "splits the fees among datasets",
      "needs a claim before it expires",
      "owes me for the receipts served",
    ],
  },
};

// Two files: the first three subjects of every label in one, the last three in the other, so a manifest can
// name one or both and each file alone still covers every label.
export function makeRows(part: 0 | 1): string[] {
  const rows: string[] = [];
  for (const label of LABELS) {
    const p = PHRASES[label];
    for (let s = part * 3; s < part * 3 + 3; s++) {
      for (const action of p.actions) rows.push(`${label}\t${p.subjects[s]} ${action}`);
    }
  }
  return rows;
}

export function makeData(): void {
  writeFileSync(join(DATA_DIR, "community-intents-a.tsv"), `${makeRows(0).join("\n")}\n`);
  writeFileSync(join(DATA_DIR, "community-intents-b.tsv"), `${makeRows(1).join("\n")}\n`);
  writeManifest();
}

if (process.argv[1]?.endsWith("make-data.ts")) makeData();
