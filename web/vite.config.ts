// The web app's build: Vite 7 with its built-in esbuild JSX (react-jsx), no plugin (docs/web.md says why). The app
// imports the suite's wire types, error catalogue and the CLI's pure helpers from outside web/, so the file system
// allow-list is the repository.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger, defineConfig } from "vite";

const here = dirname(fileURLToPath(import.meta.url));

// Two warnings that say nothing about this app, kept out of every `npm run web`: near-api-js 7's response validator
// (is-my-json-valid -> generate-function) names Node's "util", which Vite leaves out of a browser build (nothing the app
// calls reaches it: the end-to-end test fails on any page error), and js-sha256 (Wallet Selector's) probes for Node
// with eval, unused in a browser.
const logger = createLogger("warn");
const warn = logger.warn;
logger.warn = (msg, options) => {
  if (/Module "util" has been externalized/.test(msg)) return;
  warn(msg, options);
};

export default defineConfig(({ command }) => ({
  root: here,
  base: "./",
  esbuild: { jsx: "automatic", jsxDev: command !== "build" },
  // a build is React's production build whatever NODE_ENV the caller has (ava sets "test")
  define: { "process.env.NODE_ENV": JSON.stringify(command === "build" ? "production" : "development") },
  customLogger: logger,
  build: {
    outDir: join(here, "dist"),
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    // the Wallet Selector chunk (testnet and mainnet only) is ~600 KB before gzip
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      onwarn(warning, next) {
        if (warning.code === "EVAL" && warning.id?.includes("js-sha256")) return;
        next(warning);
      },
    },
  },
  server: { host: "127.0.0.1", fs: { allow: [join(here, "..")] } },
}));
