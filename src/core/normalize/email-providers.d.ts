// The package ships its list as plain JSON behind an ES module, without type declarations.
declare module 'email-providers' {
  const domains: string[];
  export default domains;
}
