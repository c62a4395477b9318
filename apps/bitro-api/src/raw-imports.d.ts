/** `import text from './file.md?raw'`: the file's text, bundled (webpack `asset/source`, Vite's `?raw`). */
declare module '*.md?raw' {
  const text: string;
  export default text;
}
