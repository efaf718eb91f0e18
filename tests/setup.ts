import { configureImmer } from '../src/app/immer.ts';

// The application enables immer's Map/Set support once at start-up (src/main.ts); tests do the same.
configureImmer();
