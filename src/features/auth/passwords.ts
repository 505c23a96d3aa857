import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { demoPassword } from '../demo/data.ts';

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export const minPasswordLength = 10;
export const maxPasswordLength = 1024;

const strength = new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/**
 * The one password policy, for every place a password is chosen (first account, new user, own change): at least
 * 10 characters, not a common password (zxcvbn-ts's list, and its estimate below "safely unguessable" online), not
 * the username nor the demo password. Returns the message key of the first problem, or null when the password will do.
 */
export function passwordProblem(password: string, username: string): string | null {
  if (password === '') return 'password.required';
  if ([...password].length < minPasswordLength) return 'password.tooShort';
  if ([...password].length > maxPasswordLength) return 'password.tooLong';
  const lower = password.toLowerCase();
  if (username && lower === username.toLowerCase()) return 'password.username';
  if (lower === demoPassword.toLowerCase()) return 'password.demo';
  if (common.has(lower)) return 'password.common';
  // Only the first 100 characters are scored: zxcvbn's matching grows fast with length, and 100 are plenty.
  const { score } = strength.check(password.slice(0, 100), username ? [username] : []);
  return score < 3 ? 'password.common' : null;
}
