// `npm run deploy:factory` / `npx tsx deploy/factory.ts [options]`: the same as `ai-commons factory deploy [options]`
// (scripts/cli/commands/factory.ts, logic in scripts/cli/factory-deploy.ts): deploys or updates the community
// factory and the suite codes it stores from build/, then verifies them. `--help` lists the options.
import { main } from "../scripts/cli/main.ts";

process.exitCode = await main(["factory", "deploy", ...process.argv.slice(2)]);
