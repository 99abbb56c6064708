// `npm run bench:web`: builds the web app for production and prints each file of web/dist with its size, raw and
// gzipped (what a phone downloads on first visit), and the build time.
import { buildApp } from "./serve.ts";

const { seconds, files } = await buildApp();
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
for (const f of files)
  console.log(`${f.file.padEnd(32)} ${kib(f.bytes).padStart(10)} ${kib(f.gzip).padStart(10)} gzipped`);
const bytes = files.reduce((s, f) => s + f.bytes, 0);
const gzip = files.reduce((s, f) => s + f.gzip, 0);
console.log(
  `${"total".padEnd(32)} ${kib(bytes).padStart(10)} ${kib(gzip).padStart(10)} gzipped (built in ${seconds.toFixed(1)} s)`,
);
