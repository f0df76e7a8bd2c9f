// @ts-check
/**
 * Import rules, checked by dependency-cruiser inside `npm run lint` and by test/infra/imports.test.ts (which prints
 * every violation). Type-only imports count: a cycle through `import type` is still a cycle for the reader.
 *
 * Who may import whom: src/ is the product and imports only itself; fixtures/ (the data shared by the development
 * seed, the tests and the benchmarks) imports src/; scripts/ and bench/ import src/ and fixtures/ (bench/ also
 * scripts/lib/); test/ imports anything. Nothing imports test/ but the tests.
 *
 * @type {import("dependency-cruiser").IConfiguration}
 */
export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "Modules that import each other, directly or through others (type-only imports included): move what both need into a third module.",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "An import the checker cannot resolve to a file: a typo, or a rule that could not see that dependency.",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "product-imports-only-itself",
      severity: "error",
      comment:
        "The product (src/) never imports benchmarks, tests or scripts; shared data lives in fixtures/, which src/ may import.",
      from: { path: "^src/" },
      to: { path: "^(bench|test|scripts)/" },
    },
    {
      name: "fixtures-import-only-the-product",
      severity: "error",
      comment:
        "fixtures/ is imported by the development seed, the tests and the benchmarks, so it imports none of them (src/ only).",
      from: { path: "^fixtures/" },
      to: { path: "^(bench|test|scripts)/" },
    },
    {
      name: "only-tests-import-tests",
      severity: "error",
      comment: "test/ is the test suite's own: what others need from it belongs in fixtures/.",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
  ],
  options: {
    includeOnly: "^(src|fixtures|bench|scripts|test)/",
    doNotFollow: { path: "node_modules" },
    /* Parse with TypeScript before its compilation, so `import type` dependencies are seen too. */
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    /* Imports name their `.ts` files (Node runs them by type stripping). */
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
