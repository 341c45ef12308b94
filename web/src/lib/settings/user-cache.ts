/** Look accounts up once per id (admin lists name reporters, assignees, invite creators). */

export interface NamedUser {
  id: string;
  username: string;
  global_name?: string | null;
}

export function createUserCache<U extends NamedUser>(fetchUser: (id: string) => Promise<U>) {
  const cache = new Map<string, Promise<U | null>>();
  return {
    get(id: string): Promise<U | null> {
      let p = cache.get(id);
      if (!p) {
        p = fetchUser(id).catch(() => {
          // Forget failures so a later look-up may succeed.
          cache.delete(id);
          return null;
        });
        cache.set(id, p);
      }
      return p;
    },
    /** Seed or refresh from data already at hand. */
    put(u: U): void {
      cache.set(u.id, Promise.resolve(u));
    },
  };
}
