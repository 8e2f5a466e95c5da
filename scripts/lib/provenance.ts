// The upstream's provenance for the lock: which repository, file and commit the pinned spec came from.
/** Where the upstream file lives: recorded in the lock, so anyone can fetch the same bytes again. */
export interface Provenance {
  repository: string;
  path: string;
  commit: string;
}

/** `https://raw.githubusercontent.com/OWNER/NAME/SHA/PATH` and `https://github.com/OWNER/NAME/{raw,blob}/SHA/PATH`. */
export function provenanceFromUrl(source: string): Partial<Provenance> {
  const match =
    /^https:\/\/raw\.githubusercontent\.com\/([^/]+\/[^/]+)\/([0-9a-f]{40})\/(.+)$/.exec(source) ??
    /^https:\/\/github\.com\/([^/]+\/[^/]+)\/(?:raw|blob)\/([0-9a-f]{40})\/(.+)$/.exec(source);
  return match ? { repository: match[1], commit: match[2], path: match[3] } : {};
}

/**
 * The upstream's provenance from the flags, else from a commit-pinned GitHub URL, or why it cannot
 * be had. A pin without it is refused: a sha256 says which bytes were pinned, not where to find them.
 */
export function resolveProvenance(source: string, flags: Partial<Provenance>): Provenance | string {
  const fromUrl = provenanceFromUrl(source);
  const repository = flags.repository ?? fromUrl.repository;
  const file = flags.path ?? fromUrl.path;
  const commit = flags.commit ?? fromUrl.commit;
  const missing = [!repository && '--repo', !file && '--path', !commit && '--commit'].filter(Boolean);
  if (missing.length) {
    return `the upstream's provenance is missing (${missing.join(', ')}): say which repository, file and commit the spec comes from, or pin from a raw.githubusercontent.com URL at a commit`;
  }
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository!))
    return `--repo must be OWNER/NAME, got ${JSON.stringify(repository)}`;
  if (!/^[0-9a-f]{40}$/.test(commit!))
    return `--commit must be a full 40-character commit sha, got ${JSON.stringify(commit)}`;
  return { repository: repository!, path: file!, commit: commit! };
}
