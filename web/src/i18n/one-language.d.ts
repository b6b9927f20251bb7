// One language of a catalogue file, as its default export (the one-language plugin in web/vite.config.ts).
declare module '*?lang=ru' {
  const texts: object;
  export default texts;
}
declare module '*?lang=en' {
  const texts: object;
  export default texts;
}
