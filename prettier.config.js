// @ts-check
/**
 * Prettier formats the TypeScript and JavaScript (and the subgraphs' SDL and the deployment YAML) of the repository;
 * `npm run lint` checks it, `npm run format` applies it. The options are the ones the code was already written in,
 * so formatting moved as little as possible: single quotes, semicolons, trailing commas, two spaces.
 *
 * `printWidth: 160`: the code was hand-wrapped at about 120 columns with longer lines where a call read better on
 * one line; 160 keeps those and breaks only the outliers (up to 322 columns). 120 would have rewrapped three times
 * as many lines. Strings and template literals are never split, so a few long ones stay past 160.
 *
 * What Prettier leaves alone is in `.prettierignore`, with the reason for each entry.
 *
 * @type {import('prettier').Config}
 */
export default {
  printWidth: 160,
  singleQuote: true,
  overrides: [
    // YAML (Compose, Kubernetes) is written with double quotes, as those tools' documentation does.
    { files: ['*.yaml', '*.yml'], options: { singleQuote: false } },
  ],
};
