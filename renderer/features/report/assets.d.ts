/** Vite turns `?url` imports into the emitted file's URL (used for the report preview's stylesheet). */
declare module '*.css?url' {
  const url: string;
  export default url;
}
