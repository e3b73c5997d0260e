import type { Quad, Term } from '@rdfjs/types';
import { RDF_TYPE, RDFS } from '../namespaces.js';
import { termKey } from '../rdf-terms.js';

const NO_PREDICATES: ReadonlyMap<string, Term[]> = new Map();
const NO_VALUES: Term[] = [];
const SUBCLASS_OF = RDFS('subClassOf');

/**
 * The data graph, indexed for validation: values by subject and predicate (each value once),
 * types, and, built on first use, subjects by object (inverse paths, sh:targetObjectsOf) and the
 * rdfs:subClassOf closure (SHACL instances). Every index is linear in the graph's size.
 */
export class DataGraph {
  private readonly out = new Map<string, Map<string, Term[]>>();
  private readonly types = new Map<string, Set<string>>();
  /** Keys of the values of long value lists, so that adding a value stays O(1) however many there are. */
  private readonly keysOf = new WeakMap<Term[], Set<string>>();
  private inverse?: Map<string, Map<string, Term[]>>;
  private superclasses?: Map<string, Set<string>>;
  private hasSubclasses = false;
  readonly subjects = new Map<string, Term>();

  constructor(readonly quads: Quad[]) {
    for (const q of quads) {
      const s = termKey(q.subject);
      this.subjects.set(s, q.subject);
      let preds = this.out.get(s);
      if (!preds) this.out.set(s, (preds = new Map()));
      const list = preds.get(q.predicate.value);
      if (list) this.addValue(list, q.object);
      else preds.set(q.predicate.value, [q.object]);
      if (q.predicate.value === RDF_TYPE) {
        const set = this.types.get(s);
        if (set) set.add(q.object.value);
        else this.types.set(s, new Set([q.object.value]));
      } else if (q.predicate.value === SUBCLASS_OF) this.hasSubclasses = true;
    }
  }

  /** Adds a value unless the list has it: a scan while the list is short, a set of keys after. */
  private addValue(list: Term[], value: Term): void {
    if (list.length < 16) {
      if (!list.some((t) => t.equals(value))) list.push(value);
      return;
    }
    let keys = this.keysOf.get(list);
    if (!keys) this.keysOf.set(list, (keys = new Set(list.map(termKey))));
    const key = termKey(value);
    if (keys.has(key)) return;
    keys.add(key);
    list.push(value);
  }

  /** The node's values per predicate (look it up once per node, then per predicate). */
  predicates(node: Term): ReadonlyMap<string, Term[]> {
    return (node.termType !== 'Literal' && this.out.get(termKey(node))) || NO_PREDICATES;
  }

  objects(node: Term, predicate: string): Term[] {
    return this.predicates(node).get(predicate) ?? NO_VALUES;
  }

  /** The subjects of triples with `predicate` and `node` as object. */
  subjectsOf(node: Term, predicate: string): Term[] {
    return this.inverseIndex().get(termKey(node))?.get(predicate) ?? NO_VALUES;
  }

  /** Every subject of a triple with `predicate`. */
  subjectsWith(predicate: string): Term[] {
    const out: Term[] = [];
    for (const [key, preds] of this.out) if (preds.has(predicate)) out.push(this.subjects.get(key)!);
    return out;
  }

  /** Every object of a triple with `predicate`, each once. */
  objectsWith(predicate: string): Term[] {
    const seen = new Map<string, Term>();
    for (const preds of this.out.values()) for (const o of preds.get(predicate) ?? NO_VALUES) seen.set(termKey(o), o);
    return [...seen.values()];
  }

  /** The node's rdf:type values. */
  typesOf(node: Term): ReadonlySet<string> | undefined {
    return node.termType === 'Literal' ? undefined : this.types.get(termKey(node));
  }

  /** Nodes with at least one rdf:type, with their types. */
  typed(): IterableIterator<[string, Set<string>]> {
    return this.types.entries();
  }

  term(key: string): Term {
    return this.subjects.get(key)!;
  }

  /** Whether `node` is a SHACL instance of `cls`: one of its types is `cls` or a subclass of it. */
  isInstance(node: Term, cls: string): boolean {
    const types = this.typesOf(node);
    if (!types) return false;
    if (types.has(cls)) return true;
    if (!this.hasSubclasses) return false;
    for (const t of types) if (this.superclassesOf(t).has(cls)) return true;
    return false;
  }

  /** `cls` and every class it is a subclass of, transitively (rdfs:subClassOf in the data graph). */
  superclassesOf(cls: string): ReadonlySet<string> {
    // Remembered per class, also when the graph has no rdfs:subClassOf: focus nodes ask per node and type.
    this.superclasses ??= new Map();
    let set = this.superclasses.get(cls);
    if (set) return set;
    set = new Set([cls]);
    const queue = this.hasSubclasses ? [cls] : [];
    while (queue.length > 0) {
      const c = queue.pop()!;
      for (const sup of this.out.get(c)?.get(SUBCLASS_OF) ?? NO_VALUES) {
        if (sup.termType === 'NamedNode' && !set.has(sup.value)) {
          set.add(sup.value);
          queue.push(sup.value);
        }
      }
    }
    this.superclasses.set(cls, set);
    return set;
  }

  private inverseIndex(): Map<string, Map<string, Term[]>> {
    if (this.inverse) return this.inverse;
    const index = new Map<string, Map<string, Term[]>>();
    for (const [key, preds] of this.out) {
      const subject = this.subjects.get(key)!;
      for (const [p, objects] of preds) {
        for (const o of objects) {
          const k = termKey(o);
          let byPred = index.get(k);
          if (!byPred) index.set(k, (byPred = new Map()));
          const list = byPred.get(p);
          if (list) list.push(subject);
          else byPred.set(p, [subject]);
        }
      }
    }
    return (this.inverse = index);
  }
}
