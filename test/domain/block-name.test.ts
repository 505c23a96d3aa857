import { describe, expect, it } from 'vitest';
import { blockName } from '../../src/domain/text.ts';

describe('a block name in a sentence', () => {
  it('drops the word "khối" the secretariat may have written, so no page reads "khối Khối Phường"', () => {
    expect(blockName('Khối Phường')).toBe('Phường');
    expect(blockName('khối  Xã, đặc khu')).toBe('Xã, đặc khu');
    expect(blockName('KHỐI Sở')).toBe('Sở');
  });

  it('leaves any other name as it is', () => {
    expect(blockName('Phường')).toBe('Phường');
    expect(blockName('Xã, đặc khu')).toBe('Xã, đặc khu');
    expect(blockName('Khối')).toBe('Khối');
  });
});
