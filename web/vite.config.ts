// The web app's build: Vite 7 with its built-in esbuild JSX (react-jsx), no plugin (docs/web.md says why). The app
// imports the suite's wire types, error catalogue and the CLI's pure helpers from outside web/, so the file system
// allow-list is the repository.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger, defineConfig } from "vite";

const here = dirname(fileURLToPath(import.meta.url));

// Warnings that say nothing about this app, kept out of every `npm run web`: near-api-js 7's response validator
// (is-my-json-valid -> generate-function) names Node's "util", which Vite leaves out of a browser build (nothing the app
// calls reaches it: the end-to-end test fails on any page error); HERE Wallet's SDK names Node's "crypto" for one
// default (a signed message's nonce, unused here: the app signs no message); js-sha256 (Wallet Selector's) probes for
// Node with eval, unused in a browser; zod (Meteor Wallet's SDK) has comments Rollup drops as misplaced annotations.
const logger = createLogger("warn");
const warn = logger.warn;
logger.warn = (msg, options) => {
  if (/Module "util" has been externalized/.test(msg)) return;
  if (/Module "crypto" has been externalized/.test(msg) && msg.includes("@here-wallet/core")) return;
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
    // the Wallet Selector chunk (testnet and mainnet only: the selector, its modal and five wallet modules) is ~2 MB
    // before gzip
    chunkSizeWarningLimit: 2100,
    rollupOptions: {
      onwarn(warning, next) {
        if (warning.code === "EVAL" && warning.id?.includes("js-sha256")) return;
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules/zod/")) return;
        next(warning);
      },
    },
  },
  server: { host: "127.0.0.1", fs: { allow: [join(here, "..")] } },
}));
