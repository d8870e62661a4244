/** The package version, recorded in checkpoint metadata. Kept equal to package.json by a test. */
export const VERSION = '0.1.0';
