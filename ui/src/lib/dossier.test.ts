import { describe, expect, it } from 'vitest';
import { charList, fileStem } from './dossier';

describe('fileStem', () => {
  it.each([
    ['张三', '张三'],
    ['  李四 ', '李四'],
    ['王/五', '王_五'],
    ['a\\b:c*d?e"f<g>h|i', 'a_b_c_d_e_f_g_h_i'],
    ['..隐藏.', '隐藏'],
    ['tab\there', 'tab_here'],
    ['𰀀明', '𰀀明'],
    ['', '_'],
    ['...', '_'],
  ])('makes %j the file name stem %j', (name, stem) => {
    expect(fileStem(name)).toBe(stem);
  });
});

describe('charList', () => {
  it('lists each missing character once, in order', () => {
    expect(charList(['𰀀', '𪚥', '𰀀'])).toBe('𰀀 𪚥');
    expect(charList([])).toBe('');
  });
});
