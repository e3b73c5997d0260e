// Follows Katalog's change feed (docs/feed.md) from where it stopped last time and prints each
// change; keeps its place in .feed-position. Needs Node 20 and n3 (npm install n3).
//   node follow-feed.mjs http://localhost:3000
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Parser } from 'n3';

const AS = 'https://www.w3.org/ns/activitystreams#';
const TREE = 'https://w3id.org/tree#';
const base = (process.argv[2] ?? 'http://localhost:3000').replace(/\/+$/, '');
const saved = existsSync('.feed-position') ? Number(readFileSync('.feed-position', 'utf8')) : 0;

let page = `${base}/feed/pages/${saved}`;
let last = saved;
for (;;) {
  const response = await fetch(page, { headers: { accept: 'application/n-quads' } });
  if (!response.ok) throw new Error(`${page}: ${response.status} ${await response.text()}`);
  const quads = new Parser({ format: 'N-Quads' }).parse(await response.text());
  const value = (subject, predicate) => quads.find((q) => q.subject.value === subject && q.predicate.value === predicate)?.object.value;
  const activities = quads
    .filter((q) => q.predicate.value === `${TREE}member`)
    .map((q) => ({ iri: q.object.value, seq: Number(q.object.value.split('/').pop()) }))
    .sort((a, b) => a.seq - b.seq);
  for (const { iri, seq } of activities) {
    if (seq <= last) continue;
    const type = value(iri, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type').replace(AS, '');
    const triples = quads.filter((q) => q.graph.value === iri).length;
    // Here a harvester puts the activity's graph in place of the record's (or removes it on Delete).
    console.log(`${seq}\t${type}\t${value(iri, `${AS}published`)}\t${value(iri, `${AS}object`)}\t${triples} triples`);
    last = seq;
  }
  const relation = quads.find((q) => q.subject.value === page && q.predicate.value === `${TREE}relation`);
  if (!relation) break; // the open page: come back later
  page = quads.find((q) => q.subject.equals(relation.object) && q.predicate.value === `${TREE}node`).object.value;
}
writeFileSync('.feed-position', String(last));
