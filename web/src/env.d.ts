// scripts/cli/networks.ts reads `process.env` as a default argument for the CLI; the app always passes its own (an
// empty environment), so the name only has to type-check here.
declare const process: { env: Record<string, string | undefined> };
