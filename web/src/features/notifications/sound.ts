const SOUND_KEY = 'leadrouter.sound';

/** Whether a new lead plays a sound; chosen per browser, off until turned on. */
export function soundEnabled(): boolean {
  return globalThis.localStorage?.getItem(SOUND_KEY) === 'on';
}

export function setSoundEnabled(on: boolean): void {
  globalThis.localStorage?.setItem(SOUND_KEY, on ? 'on' : 'off');
}

/** Two short tones, made in the browser: no audio file to load. */
export function playNewLeadSound(): void {
  try {
    const context = new AudioContext();
    [0, 0.18].forEach((offset, i) => {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = i === 0 ? 880 : 1320;
      gain.gain.setValueAtTime(0.15, context.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + offset + 0.15);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(context.currentTime + offset);
      oscillator.stop(context.currentTime + offset + 0.16);
    });
    setTimeout(() => void context.close(), 600);
  } catch {
    // No audio device or the browser refused: the toast still shows.
  }
}
