import { parseArgs } from 'node:util';
import { createApiKey } from '../catalog/api-keys.js';
import { KatalogError } from '../core/errors.js';
import type { Store } from '../store/store.js';

export const APIKEY_USAGE = `katalog apikey create --org ORGNR [--admin] [--label TEXT]   print a new key (shown once)
katalog apikey list                                           list keys (id, organisation, admin, label, state)
katalog apikey revoke ID                                      revoke a key by its id`;

/** Runs `katalog apikey ...`; returns the exit code. */
export async function apikeyCommand(args: string[], store: Store): Promise<number> {
  const [verb, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { org: { type: 'string' }, admin: { type: 'boolean' }, label: { type: 'string' } } });
  } catch (error) {
    console.error(`katalog apikey: ${(error as Error).message}\n${APIKEY_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  switch (verb) {
    case 'create': {
      if (!values.org) {
        console.error(`katalog apikey create: --org ORGNR is required\n${APIKEY_USAGE}`);
        return 2;
      }
      try {
        const { key, record } = await createApiKey(store, values.org, { admin: values.admin, label: values.label });
        console.log(key);
        console.error(`key ${record.id} for organisation ${record.organisation}${record.admin ? ' (admin)' : ''}: store it now, it is not shown again`);
        return 0;
      } catch (error) {
        if (!(error instanceof KatalogError)) throw error;
        console.error(`katalog apikey create: ${error.message}`);
        return 2;
      }
    }
    case 'list':
      for (const k of await store.listApiKeys()) {
        console.log([k.id, k.organisation, k.admin ? 'admin' : '-', k.revoked ? `revoked ${k.revoked}` : `created ${k.created}`, k.label ?? ''].join('\t'));
      }
      return 0;
    case 'revoke':
      if (!positionals[0]) {
        console.error(`katalog apikey revoke: name the key id (see katalog apikey list)`);
        return 2;
      }
      if (await store.revokeApiKey(positionals[0])) {
        console.log(`revoked ${positionals[0]}`);
        return 0;
      }
      console.error(`katalog apikey revoke: no live key has the id ${positionals[0]}`);
      return 1;
    default:
      console.error(APIKEY_USAGE);
      return 2;
  }
}
