// `npm run web [-- --host ADDR] [--port N] [--no-build]`: builds the app and serves it (serve.ts). Beside
// `npm run node` (or a node the CLI started) the app works on the local node at once; testnet and mainnet need no
// local node.
import { parseArgs } from "node:util";
import { localPort } from "../../scripts/cli/context.ts";
import { buildApp, DEFAULT_WEB_PORT, startServer } from "./serve.ts";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: String(DEFAULT_WEB_PORT) },
    "no-build": { type: "boolean", default: false },
  },
});
if (!values["no-build"]) {
  const { seconds, files } = await buildApp();
  const total = files.reduce((s, f) => s + f.gzip, 0);
  console.log(`[web] built web/dist in ${seconds.toFixed(1)} s (${(total / 1024).toFixed(1)} KiB gzipped)`);
}
const web = await startServer({ host: values.host, port: Number(values.port) });
console.log(`[web] the app: ${web.url}`);
console.log(
  /^(127\.|localhost|::1)/.test(values.host ?? "")
    ? `[web] local node: http://127.0.0.1:${localPort()} (start it with npm run node); development sign-in on`
    : "[web] not on loopback: the local node and the development sign-in are off (testnet and mainnet only)",
);
