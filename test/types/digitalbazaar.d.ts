/** The part of @digitalbazaar/vc-bitstring-status-list (plain JavaScript, no types) the credential tests use. */
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export function createList(options: { length: number }): Promise<{ setStatus(index: number, status: boolean): void; encode(): Promise<string> }>;
  export function checkStatus(options: {
    credential: unknown;
    documentLoader: (url: string) => Promise<{ document: unknown; documentUrl: string; contextUrl: string | null }>;
    suite?: unknown;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; error?: unknown; results: { verified: boolean; status: boolean }[] }>;
}
