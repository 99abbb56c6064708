// The one-command demo of the whole story arrives with the CLI issue; until then say so plainly.
console.log(
  "The demo is not built yet: it arrives with the CLI and demo issue.\n" +
    "Meanwhile: `npm run build` builds every contract to build/, `npm test` runs the test suite,\n" +
    "and `npm run node` starts the project's local NEAR node.",
);
