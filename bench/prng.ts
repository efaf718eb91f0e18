// A small seeded pseudo-random generator (sfc32) for the benchmark's synthetic data: the same seed
// gives the same students, the same events and the same ids on every machine. Nothing here reads the
// clock or Math.random.

/** 2024-09-01T00:00:00Z: the synthetic ids look as if they were issued from then on. */
const V7_EPOCH_MS = Date.UTC(2024, 8, 1);

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seeds: number[]) {
    // Spread the seeds over the four words (splitmix32), then warm up as sfc32 recommends.
    let s = 0x9e3779b9;
    const mix = (x: number) => {
      s = (s + 0x9e3779b9 + x) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    const words = seeds.length ? seeds : [0];
    this.a = mix(words[0]!);
    this.b = mix(words[1 % words.length]! ^ 0x1234);
    this.c = mix(words[2 % words.length]! ^ 0x5678);
    this.d = mix(words.length);
    for (let i = 1; i < words.length; i++) this.d = mix(this.d ^ words[i]!);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Roughly normal (the mean of three uniforms), for marks. */
  around(mean: number, spread: number): number {
    return mean + (this.next() + this.next() + this.next() - 1.5) * spread;
  }

  /**
   * A uuid v7 for the n-th id of a sequence: its timestamp and counter fields grow with n, as real v7 ids
   * grow with time (so they go into the store's indexes in order, as the ledger's own ids do), and the
   * rest is random.
   */
  uuidV7(n: number): string {
    const ms = V7_EPOCH_MS + Math.floor(n / 4096);
    const time = ms.toString(16).padStart(12, '0');
    const counter = (n % 4096).toString(16).padStart(3, '0');
    const b = this.nextUint32();
    const c = this.nextUint32().toString(16).padStart(8, '0');
    const variant = (8 | (b >>> 30)).toString(16);
    const rest = ((b >>> 18) & 0xfff).toString(16).padStart(3, '0');
    const tail = (b & 0xffff).toString(16).padStart(4, '0');
    return `${time.slice(0, 8)}-${time.slice(8)}-7${counter}-${variant}${rest}-${tail}${c}`;
  }

  /** Raw bytes, e.g. for an initialisation vector. */
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.nextUint32() & 0xff;
    return out;
  }
}
