/** One command of the demo scenario, as the import endpoint takes it. */
export type DemoRow = { command: string; source: string } & Record<string, unknown>;

/** The seed reports the scenario is built from. */
export const SEEDS = {
  haiPhongSeptember:
    'https://vtcnews.vn/bhxh-hai-phong-dam-bao-100-cac-xa-phuong-co-diem-thu-phi-bhxh-bhyt-tu-nguyen-ar903860.html',
  haiPhongOctober:
    'https://vtcnews.vn/bhxh-hai-phong-quyet-tam-hoan-thanh-100-ke-hoach-nam-2024-ar906333.html',
  canTho: 'https://baocantho.com.vn/no-luc-hoan-thanh-cac-chi-tieu-ve-bao-hiem-a192909.html',
  dongNai:
    'https://baodongnai.com.vn/xa-hoi/y-te/202512/trien-khai-chien-dich-20-ngay-cao-diem-phat-trien-nguoi-tham-gia-bao-hiem-xa-hoi-bao-hiem-y-te-e4b1523/',
} as const;

/** Every demo fact says so in its source, with the report it comes from. */
export const DEMO_SOURCE_PREFIX = 'demo: ';

export function demoSource(seed: string, note?: string): string {
  return `${DEMO_SOURCE_PREFIX}${seed}${note ? ` (${note})` : ''}`;
}

/** A stand-in chosen to make the seed figures reproducible, not a number from the reports. */
export const ASSUMED = 'assumed for the demo';

export function row(command: string, source: string, fields: Record<string, unknown>): DemoRow {
  return { command, ...fields, source };
}
