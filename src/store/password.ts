/**
 * Password hashing with node's scrypt (RFC 7914; OWASP's password-storage parameters N=2^15, r=8, p=1)
 * and a constant-time comparison. Stored as `scrypt$N$r$p$salt$hash` so parameters can be raised later.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { CityIndexError } from '../engine/core/errors.ts';

/** scrypt's cost N in production (OWASP); tests may pass a lower one to `hashPassword`. */
export const SCRYPT_N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Shortest and longest password accepted. */
export const PASSWORD_LENGTH = { min: 12, max: 256 } as const;

/**
 * Refuse a password shorter than 12 or longer than 256 characters (ASVS 2.1.1/2.1.2).
 * @example checkPasswordPolicy('short') // => throws E_PASSWORD_POLICY
 */
export function checkPasswordPolicy(password: string): void {
  const n = [...password].length;
  if (n < PASSWORD_LENGTH.min || n > PASSWORD_LENGTH.max) {
    throw new CityIndexError({
      code: 'E_PASSWORD_POLICY',
      message: `the password has ${n} characters / 密码长度不符合要求`,
      field: 'password',
      expected: `${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters`,
    });
  }
}

/**
 * Hash a password with a fresh random salt.
 * @example const hash = await hashPassword('correct horse battery', 1024);
 * hash.startsWith('scrypt$1024$8$1$') // => true
 */
export async function hashPassword(password: string, N: number = SCRYPT_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * True when `password` matches a stored hash (constant-time comparison); false for a malformed hash.
 * @example
 * const h = await hashPassword('correct horse battery', 1024);
 * const right = await verifyPassword('correct horse battery', h);
 * const wrong = await verifyPassword('wrong horse battery', h);
 * [right, wrong] // => [true, false]
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (![n, r, p].every(Number.isInteger) || n > 2 ** 20 || r > 32 || p > 16 || expected.length === 0) return false;
  const key = await scrypt(password, salt, expected.length, { N: n, r, p, maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(key, expected);
}
