import { refused } from '../../errors.ts';
import { type Handlers, one } from './context.ts';

// Erasure destroys the student key (src/privacy/); the event records that it happened, once.

export const personalHandlers = {
  erasePersonalData(r, d) {
    if (r.erasure) throw refused('already_erased', `personal data was erased on ${r.erasure.erasedOn}`);
    return one({ type: 'PersonalDataErased', data: d }, d.erasedOn);
  },
} satisfies Partial<Handlers>;
