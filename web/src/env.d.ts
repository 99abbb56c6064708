// scripts/cli/networks.ts reads `process.env` as a default argument for the CLI; the app always passes its own (an
// empty environment), so the name only has to type-check here.
declare const process: { env: Record<string, string | undefined> };

// a stylesheet imported as text (Vite's `?inline`): wallet-selector.ts adds the modal's CSS to the page itself
declare module "*.css?inline" {
  const css: string;
  export default css;
}
