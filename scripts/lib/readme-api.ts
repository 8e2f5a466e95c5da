// The README's API table is the generated one (generated/api-table.md), between two markers.
export const README_MARKERS = {
  start: '<!-- api-table:start (npm run readme:api copies generated/api-table.md here) -->',
  end: '<!-- api-table:end -->',
};

/** The table rows of generated/api-table.md: everything after its header comment. */
export function tableBody(generated: string): string {
  return generated.replace(/^<!--.*-->\n+/, '').trimEnd();
}

/** What the README holds between the markers, or `undefined` without them. */
export function readmeTable(readme: string): string | undefined {
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + README_MARKERS.start.length, end).trim();
}

/** `readme` with the generated table between its markers, or `undefined` without them. */
export function withApiTable(readme: string, generated: string): string | undefined {
  const start = readme.indexOf(README_MARKERS.start);
  const end = readme.indexOf(README_MARKERS.end);
  if (start < 0 || end < start) return undefined;
  return `${readme.slice(0, start + README_MARKERS.start.length)}\n\n${tableBody(generated)}\n\n${readme.slice(end)}`;
}
