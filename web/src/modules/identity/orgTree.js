// The organisation tree from GET /api/orgs (a flat list in path order with parent_id).

/** @typedef {import('./api.js').Org} Org */
/** @typedef {Org & {children: OrgNode[]}} OrgNode */

/** The organisation kinds the server knows, in the order forms list them. */
export const ORG_KINDS = Object.freeze([
  'city',
  'district_government',
  'government_department',
  'street_office',
  'community',
  'public_institution',
  'enterprise',
]);

/**
 * Builds the tree from parent_id. Children keep the order of the list (the server's path
 * order). An organisation whose parent is not in the list (a search result, or one
 * outside the caller's scope) becomes a root; a cycle, which a well-formed list never
 * has, is broken rather than looped over.
 * @param {readonly Org[]} items
 * @returns {OrgNode[]}
 */
export function buildOrgTree(items) {
  /** @type {Map<number, OrgNode>} */
  const nodes = new Map();
  for (const item of items) nodes.set(item.id, { ...item, children: [] });
  /** @type {OrgNode[]} */
  const roots = [];
  for (const node of nodes.values()) {
    const parent = node.parent_id == null ? undefined : nodes.get(node.parent_id);
    if (parent && parent !== node && !isAncestor(node, parent, nodes)) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/**
 * Whether `node` is `of` or one of its ancestors (through parent_id within `nodes`).
 * @param {OrgNode} node @param {OrgNode} of @param {Map<number, OrgNode>} nodes
 */
function isAncestor(node, of, nodes) {
  const seen = new Set();
  /** @type {OrgNode | undefined} */
  let cur = of;
  while (cur && !seen.has(cur.id)) {
    if (cur.id === node.id) return true;
    seen.add(cur.id);
    cur = cur.parent_id == null ? undefined : nodes.get(cur.parent_id);
  }
  return false;
}

/**
 * The ids of an organisation and everything under it (by path), e.g. the parents a move
 * must not choose.
 * @param {readonly Org[]} items
 * @param {Org} org
 * @returns {Set<number>}
 */
export function subtreeIds(items, org) {
  return new Set(items.filter((o) => o.id === org.id || o.path.startsWith(org.path)).map((o) => o.id));
}

/**
 * Whether an organisation matches a search text (name or code, ignoring case and spaces
 * around it); an empty text matches everything.
 * @param {Pick<Org, 'name' | 'code'>} org
 * @param {string} text
 */
export function orgMatches(org, text) {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  return org.name.toLowerCase().includes(q) || org.code.toLowerCase().includes(q);
}

/**
 * The names from the root down to an organisation ('杭州市 / 西湖区'), by path.
 * @param {readonly Org[]} items
 * @param {Org} org
 */
export function orgTrail(items, org) {
  const byId = new Map(items.map((o) => [o.id, o]));
  return org.path
    .split('/')
    .filter(Boolean)
    .map((id) => byId.get(Number(id))?.name)
    .filter(Boolean)
    .join(' / ');
}
