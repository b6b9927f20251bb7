/** Zones most Russian-speaking sales teams sit in, offered first. */
const COMMON = ['Europe/Kaliningrad', 'Europe/Moscow', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk', 'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka', 'Europe/Minsk', 'Asia/Almaty', 'Asia/Tashkent'];

let all: string[] | null = null;

/** Every IANA zone the browser knows (Intl.supportedValuesOf), the common ones first, plus the current value if the browser lacks it. */
export function timeZoneOptions(current?: string | null): string[] {
  if (all === null) {
    const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    all = [...new Set([...COMMON, ...known, 'UTC'])];
  }
  return current && !all.includes(current) ? [current, ...all] : all;
}
