// `npm run web`: builds the web app (Vite, web/vite.config.ts) into web/dist and serves it, with two things the
// browser cannot do alone on the local node:
//   - POST /rpc/local is passed to the local node's JSON-RPC (http://127.0.0.1:<AI_COMMONS_LOCAL_PORT or 3033>),
//     which sends no CORS headers; testnet and mainnet are called directly by the browser.
//   - GET /dev/accounts and GET /dev/key/<account>: the development sign-in. They list the local accounts whose keys
//     the CLI keeps (~/.near-credentials/local/*.json, and test.near with the node's ~/.ai-commons/localnet key) and
//     hand one key to the page. Only when the server listens on a loopback address, only to a loopback peer, only for a
//     request whose Host is a loopback name (so a DNS-rebound page cannot read them) and that carries the header
//     `x-ai-commons-dev: 1` (which a cross-site page cannot send without a CORS preflight this server never grants).
//     Keys are never read from another network's folder. With --host on a non-loopback address both are off and the
//     app offers testnet and mainnet only.
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { credentialsDir, LOCAL_ROOT, loadKey, localPort, readConfig } from "../../scripts/cli/context.ts";
import { validatorKeyFile } from "../../scripts/cli/localnode.ts";
import { accountIdProblem } from "../../scripts/cli/checks.ts";

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = join(WEB_DIR, "dist");
export const DEFAULT_WEB_PORT = 5173;
const DEFAULT_LOCAL_FACTORY = "commons.test.near";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

export interface BundleFile {
  file: string;
  bytes: number;
  gzip: number;
}

/**
 * Builds the app with Vite (production) into `outDir` (web/dist; a test passes its own, so test files running at
 * once never serve each other's half-written build) and returns each emitted file's size, raw and gzipped.
 */
export async function buildApp(outDir = DIST): Promise<{ seconds: number; files: BundleFile[] }> {
  const t0 = Date.now();
  const { build } = await import("vite");
  await build({ configFile: join(WEB_DIR, "vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
  return { seconds: (Date.now() - t0) / 1000, files: bundleFiles(outDir) };
}

export function bundleFiles(dir = DIST, base = ""): BundleFile[] {
  const out: BundleFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...bundleFiles(path, `${base}${name}/`));
    else {
      const data = readFileSync(path);
      out.push({ file: `${base}${name}`, bytes: data.length, gzip: gzipSync(data).length });
    }
  }
  return out;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1", "localhost"]);
const isLoopback = (host: string) => LOOPBACK.has(host) || /^127\./.test(host);

/** The host name of a Host header ("127.0.0.1:5173" -> "127.0.0.1", "[::1]:5173" -> "::1"). */
function hostName(header: string | undefined): string {
  if (!header) return "";
  const m = /^\[([^\]]+)\]/.exec(header);
  return m ? m[1] : header.replace(/:\d+$/, "");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** The local accounts the development sign-in may offer: those with a key file, and test.near with the node's key. */
export function localAccounts(): string[] {
  const dir = join(credentialsDir(), "local");
  const ids = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -5))
        .filter((id) => accountIdProblem(id) === null)
    : [];
  if (existsSync(validatorKeyFile()) && !ids.includes(LOCAL_ROOT)) ids.push(LOCAL_ROOT);
  return ids.sort();
}

async function proxyRpc(req: IncomingMessage, res: ServerResponse, target: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    const r = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.concat(chunks),
    });
    res.writeHead(r.status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(Buffer.from(await r.arrayBuffer()));
  } catch (e) {
    // the page says how to start the node
    send(res, 502, { error: `the local node at ${target} does not answer (${(e as Error).message})` });
  }
}

export interface WebServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startServer(opts: { host?: string; port?: number; dist?: string } = {}): Promise<WebServer> {
  const host = opts.host ?? "127.0.0.1";
  const dist = opts.dist ?? DIST;
  const local = isLoopback(host);
  const rpcTarget = `http://127.0.0.1:${localPort()}`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    if (path === "/rpc/local" || path.startsWith("/dev/")) {
      const peerOk = isLoopback(req.socket.remoteAddress ?? "") && isLoopback(hostName(req.headers.host));
      if (!local || !peerOk) return send(res, 404, { error: "the local node is offered on loopback only" });
      if (path === "/rpc/local") {
        if (req.method !== "POST") return send(res, 405, { error: "POST only" });
        return void proxyRpc(req, res, rpcTarget);
      }
      if (req.headers["x-ai-commons-dev"] !== "1") return send(res, 403, { error: "missing x-ai-commons-dev header" });
      if (path === "/dev/accounts") {
        return send(res, 200, {
          network: "local",
          factory: readConfig().factories?.local ?? DEFAULT_LOCAL_FACTORY,
          accounts: localAccounts(),
        });
      }
      const m = /^\/dev\/key\/([^/]+)$/.exec(path);
      const account = m ? decodeURIComponent(m[1]) : "";
      if (!m || accountIdProblem(account) !== null || !localAccounts().includes(account)) {
        return send(res, 404, { error: `no local key for ${account}` });
      }
      try {
        const { keyPair } = loadKey("local", account, validatorKeyFile());
        return send(res, 200, { account_id: account, private_key: keyPair.toString() });
      } catch (e) {
        return send(res, 500, { error: (e as Error).message });
      }
    }
    // the app: a file of web/dist, else index.html (the app routes by its URL hash)
    const file = normalize(join(dist, path === "/" ? "index.html" : decodeURIComponent(path)));
    const inside = file.startsWith(dist) && existsSync(file) && statSync(file).isFile();
    const chosen = inside ? file : join(dist, "index.html");
    if (!existsSync(chosen)) return send(res, 503, { error: "the app is not built: run npm run web" });
    res.writeHead(200, {
      "content-type": TYPES[extname(chosen)] ?? "application/octet-stream",
      "cache-control": chosen.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
    });
    createReadStream(chosen).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? DEFAULT_WEB_PORT, host, () => ok());
  });
  const port = (server.address() as { port: number }).port;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    server,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
