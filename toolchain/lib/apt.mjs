// Makes sure the Debian packages of the wasm32 C toolchain are installed: as root it installs them, otherwise it
// prints the exact command to run.
import { APT_PACKAGES } from "../config.mjs";
import { runSync, ToolError } from "./exec.mjs";

function installedVersion(name) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format, not a template
  const r = runSync("dpkg-query", ["-W", "-f=${Status}\t${Version}", name]);
  if (!r.ok) return null;
  const [status, version] = r.stdout.split("\t");
  return status.endsWith("installed") && !status.includes("not-installed") ? version : null;
}

export function ensureAptPackages(log) {
  if (runSync("dpkg-query", ["--version"]).status === null) {
    throw new ToolError(
      "the toolchain needs Debian/Ubuntu packages (dpkg not found): install clang-14, lld-14, llvm-14, wasi-libc " +
        "and libclang-rt-14-dev-wasm32 with your package manager, then run `npm run setup`",
    );
  }
  const missing = [];
  for (const pkg of APT_PACKAGES) {
    const v = installedVersion(pkg.name);
    if (v === null) missing.push(pkg);
    else if (v !== pkg.version) {
      log(`warning: ${pkg.name} ${v} is installed, the pinned version is ${pkg.version}: wasm hashes may differ`);
    }
  }
  if (missing.length === 0) return;
  const names = missing.map((p) => `${p.name}=${p.version}`);
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${names.join(" ")}`;
  if (process.getuid?.() !== 0) {
    throw new ToolError(`missing Debian packages: ${names.join(", ")}\nrun as root:\n  sudo sh -c '${cmd}'`);
  }
  log(`installing Debian packages: ${names.join(" ")}`);
  let r = runSync("apt-get", ["install", "-y", "--no-install-recommends", ...names], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!r.ok) {
    // a fresh machine has no package lists yet
    runSync("apt-get", ["update"]);
    r = runSync("apt-get", ["install", "-y", "--no-install-recommends", ...names], { env });
  }
  if (!r.ok) {
    // Debian replaces a version by its point-release update; take that rather than fail, and say so
    log(`warning: pinned versions unavailable, installing the current ones (wasm hashes may differ)`);
    r = runSync("apt-get", ["install", "-y", "--no-install-recommends", ...missing.map((p) => p.name)], { env });
  }
  if (!r.ok) throw new ToolError(`apt-get install failed:\n${r.stderr}\nrun: ${cmd}`);
}
