import { MemoryEventStore } from '../../src/store/memory.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('memory', async ({ clock }) => {
  const store = new MemoryEventStore(clock);
  return { store, cleanup: () => store.close() };
});
