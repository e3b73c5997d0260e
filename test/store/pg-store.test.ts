import { describe } from 'vitest';
import { PgStore } from '../../src/store/pg-store.js';
import { freshSchema, NO_POSTGRES, POSTGRES } from '../helpers/postgres.js';
import { storeContract } from './store-contract.js';

describe.skipIf(NO_POSTGRES)(POSTGRES, () => {
  storeContract('PostgreSQL', async () => {
    const { url, drop } = await freshSchema();
    let store = await PgStore.open(url);
    const others: PgStore[] = [];
    return {
      store,
      another: async () => {
        const other = await PgStore.open(url);
        others.push(other);
        return other;
      },
      reopen: async () => {
        await store.close();
        store = await PgStore.open(url);
        return store;
      },
      dispose: async () => {
        for (const other of others) await other.close();
        await store.close();
        await drop();
      },
    };
  });
});
