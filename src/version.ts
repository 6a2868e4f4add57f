// Kept in step with package.json by hand: reading package.json at run time would tie dist/ to the repo layout.
export const version = '0.1.0';
