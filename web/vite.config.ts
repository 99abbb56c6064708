// The web app's build: Vite 7 with its built-in esbuild JSX (react-jsx), no plugin (docs/web.md says why). The app
// imports the suite's wire types, error catalogue and the CLI's pure helpers from outside web/, so the file system
// allow-list is the repository.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig(({ command }) => ({
  root: here,
  base: "./",
  esbuild: { jsx: "automatic", jsxDev: command !== "build" },
  // a build is React's production build whatever NODE_ENV the caller has (ava sets "test")
  define: { "process.env.NODE_ENV": JSON.stringify(command === "build" ? "production" : "development") },
  build: { outDir: join(here, "dist"), emptyOutDir: true, target: "es2022", reportCompressedSize: false },
  server: { host: "127.0.0.1", fs: { allow: [join(here, "..")] } },
}));
