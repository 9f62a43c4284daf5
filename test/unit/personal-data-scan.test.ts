import { describe, expect, it } from 'vitest';
import { findPersonalData } from '../support/personal-data-scan';

describe('the log scanner', () => {
  it('finds names, e-mail addresses, phone numbers and tokens', () => {
    expect(findPersonalData('{"contact":{"email":"taro@example.jp"}}')).toEqual(['e-mail address']);
    expect(findPersonalData('call 03-1234-5678 now')).toEqual(['phone number']);
    expect(findPersonalData('+81-90-1234-5678')).toEqual(['phone number']);
    expect(findPersonalData('token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig')).toEqual(['bearer token']);
    expect(findPersonalData('authorization: Bearer abc.def')).toEqual(['authorization header']);
    expect(findPersonalData('name 山田 太郎')).toEqual(['a fixture name']);
  });

  it("passes the product's ordinary log lines", () => {
    const line =
      '{"level":"INFO","message":"request","timestamp":"2026-11-29T19:23:35.318Z","service":"kanryu","requestId":"284fc359-ffe3-45a6-bd4b-4b14391e8c70","route":"GET /v1/catalog/{version}","status":200,"latencyMs":34}';
    expect(findPersonalData(line)).toEqual([]);
    expect(findPersonalData('requestId 2f074e03-1347-475f-9d78-1b07025ad94a')).toEqual([]);
    expect(findPersonalData('municipality 131016, corporate number 7123456789012, date 2025-04-01')).toEqual([]);
  });
});
