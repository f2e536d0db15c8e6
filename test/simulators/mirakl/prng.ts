/**
 * Seeded pseudo-random numbers (mulberry32), so a given seed replays the same orders, ids and faults.
 * Separate streams (orders, faults, debits) keep one concern's draws from shifting another's.
 */
export interface Prng {
  next(): number;
  int(args: { min: number; max: number }): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  chars(args: { length: number; alphabet?: string }): string;
}

export function createPrng({ seed }: { seed: number }): Prng {
  let a = seed >>> 0 || 0x9e3779b9;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: ({ min, max }) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)] as T;
    },
    chance: (probability) => probability > 0 && next() < probability,
    chars: ({ length, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789" }) => {
      let out = "";
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
  };
}

/** A random v4-shaped UUID drawn from the given stream (TL02/SBC11/ST01 ids are UUIDs). */
export function uuidFrom({ prng }: { prng: Prng }): string {
  const h = prng.chars({ length: 32, alphabet: "0123456789abcdef" });
  const variant = "89ab"[Math.floor(prng.next() * 4)] ?? "8";
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
