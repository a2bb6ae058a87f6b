import type { Page } from 'playwright-core';

/**
 * WCAG contrast ratio of the text of the first element matching `selector` against the first
 * opaque background behind it (walking up the ancestors). Plain sRGB colours only.
 */
export function contrastOf(page: Page, selector: string): Promise<number> {
  return page.evaluate((css) => {
    const element = document.querySelector(css);
    if (!element) throw new Error(`no element matches ${css}`);
    const parse = (color: string): number[] => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const [lr, lg, lb] = [r!, g!, b!].map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
    };
    let background: number[] | null = null;
    for (let node: Element | null = element; node && !background; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color.length === 3 || (color[3] ?? 1) === 1) background = color;
    }
    const text = luminance(parse(getComputedStyle(element).color));
    const back = luminance(background ?? [255, 255, 255]);
    return (Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05);
  }, selector);
}
