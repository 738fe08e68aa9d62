type Version<Value> = { version: number; value: Value };

/** What every version of one line of writes shares: each key's values, by the version set. */
type Storage<Key, Value> = {
  values: Map<Key, Version<Value>[]>;
  /** Each key with the version that first set it, in that order. */
  keys: { key: Key; version: number }[];
  /** The newest version written: only a map at this version may write in place. */
  newest: number;
};

/**
 * An immutable map whose `set` costs O(1) instead of a copy of every entry: a decider's state
 * can keep a record per date or per unit without its fold growing with the square of the
 * stream. Every version shares one storage and sees only the writes up to its own version;
 * setting on an older version (two decisions branching from one state) copies what that
 * version sees, once, into a storage of its own.
 */
export class PersistentMap<Key, Value> {
  private constructor(
    private readonly storage: Storage<Key, Value>,
    private readonly version: number,
    readonly size: number,
  ) {}

  static empty<Key, Value>(): PersistentMap<Key, Value> {
    return new PersistentMap<Key, Value>({ values: new Map(), keys: [], newest: 0 }, 0, 0);
  }

  static of<Key, Value>(entries: Iterable<readonly [Key, Value]>): PersistentMap<Key, Value> {
    let map = PersistentMap.empty<Key, Value>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  get(key: Key): Value | undefined {
    const versions = this.storage.values.get(key);
    if (!versions) return undefined;
    for (let index = versions.length - 1; index >= 0; index--) {
      if (versions[index].version <= this.version) return versions[index].value;
    }
    return undefined;
  }

  has(key: Key): boolean {
    return this.get(key) !== undefined;
  }

  set(key: Key, value: Value): PersistentMap<Key, Value> {
    const isNew = !this.has(key);
    // The empty map is shared by every stream's initial state: it never writes in place.
    const storage =
      this.version === this.storage.newest && this.version > 0 ? this.storage : this.copy();
    const version = storage.newest + 1;
    storage.newest = version;
    const versions = storage.values.get(key);
    if (versions) versions.push({ version, value });
    else storage.values.set(key, [{ version, value }]);
    if (isNew) storage.keys.push({ key, version });
    return new PersistentMap(storage, version, this.size + (isNew ? 1 : 0));
  }

  keys(): Key[] {
    return this.visibleKeys();
  }

  entries(): [Key, Value][] {
    return this.visibleKeys().map((key) => [key, this.get(key)!]);
  }

  /** Plain entries, for tests and logs: the versions and storage are not part of the value. */
  toJSON(): Record<string, Value> {
    return Object.fromEntries(this.entries().map(([key, value]) => [String(key), value]));
  }

  private visibleKeys(): Key[] {
    const visible: Key[] = [];
    for (const { key, version } of this.storage.keys) {
      if (version > this.version) break;
      visible.push(key);
    }
    return visible;
  }

  private copy(): Storage<Key, Value> {
    const storage: Storage<Key, Value> = { values: new Map(), keys: [], newest: 0 };
    for (const [key, value] of this.entries()) {
      storage.newest++;
      storage.values.set(key, [{ version: storage.newest, value }]);
      storage.keys.push({ key, version: storage.newest });
    }
    return storage;
  }
}
