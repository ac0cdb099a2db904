import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.ts';

describe('passwords', () => {
  it('verifies against the scrypt test vector of RFC 7914 §12 (password / NaCl, N=1024, r=8, p=16)', async () => {
    const key =
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162' +
      '2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640';
    const salt = Buffer.from('NaCl').toString('base64');
    const stored = `scrypt$1024$8$16$${salt}$${Buffer.from(key, 'hex').toString('base64')}`;
    expect(await verifyPassword('password', stored)).toBe(true);
    expect(await verifyPassword('Password', stored)).toBe(false);
  });

  it('salts every hash and refuses malformed or absurdly expensive ones', async () => {
    const a = await hashPassword('correct horse battery', 1024);
    const b = await hashPassword('correct horse battery', 1024);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$4194304$8$1$AA==$AA==')).toBe(false);
  });

  it('asks for 12 to 256 characters', () => {
    expect(() => checkPasswordPolicy('eleven char')).toThrow(/11 characters/);
    expect(() => checkPasswordPolicy('twelve chars')).not.toThrow();
    expect(() => checkPasswordPolicy('x'.repeat(257))).toThrow();
  });
});
