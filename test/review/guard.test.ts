import { describe, expect, it } from 'vitest';
import { ExportGuard } from '../../src/review/guard.js';

describe('collateral-damage guard', () => {
  const guard = ExportGuard.load();

  it('never lets a Cloudflare, Fastly, Akamai, Google Cloud or AWS (CloudFront) address through, and says which range', () => {
    const cf = guard.checkAddress('104.16.132.229');
    expect(cf.excluded).toBe(true);
    expect(cf.reason).toContain('104.16.0.0/13');
    expect(cf.reason).toContain('Cloudflare');
    expect(cf.reason).toContain('20241104');
    expect(guard.checkAddress('2606:4700::6810:84e5').excluded).toBe(true);
    expect(guard.checkAddress('151.101.1.69').reason).toContain('Fastly');
    expect(guard.checkAddress('23.45.67.89').reason).toContain('Akamai');
    expect(guard.checkAddress('35.190.0.1').reason).toContain('GCP');
    // a CloudFront edge address (13.32.0.0/15 is in AWS's published CLOUDFRONT ranges)
    expect(guard.checkAddress('13.32.99.10').reason).toContain('Amazon AWS');
    expect(guard.checkAddress('2600:9000:2000::1').reason).toContain('Amazon AWS');
  });

  it('lets an address outside every shared range through', () => {
    expect(guard.checkAddress('5.9.10.11')).toEqual({ excluded: false, reason: null });
    expect(guard.checkAddress('2a01:4f8:1::1')).toEqual({ excluded: false, reason: null });
  });

  it('never lists an address that is not public', () => {
    expect(guard.checkAddress('127.0.0.1').reason).toBe('not a public address (loopback)');
    expect(guard.checkAddress('10.1.2.3').reason).toContain('not a public address');
    expect(guard.checkAddress('2001:db8::1').reason).toContain('not a public address');
  });

  it('leaves out shared platform hosts and hosts under a private public suffix, with a reason', () => {
    const drive = guard.checkHost('drive.usercontent.google.com');
    expect(drive.excluded).toBe(true);
    expect(drive.reason).toContain('Google Drive');
    expect(guard.checkHost('files.dropboxusercontent.com').reason).toContain('parent of files.dropboxusercontent.com');
    const pages = guard.checkHost('harbor-mirror.pages.dev');
    expect(pages.excluded).toBe(true);
    expect(pages.reason).toContain('pages.dev');
    expect(guard.checkHost('someone.github.io').reason).toContain('github.io');
    expect(guard.checkHost('harbor-new.example').excluded).toBe(false);
    expect(guard.checkHost('harbor.co.uk').excluded).toBe(false);
  });

  it('names the data it uses with its dates', () => {
    const names = guard.sources.map((s) => `${s.file}@${s.version}`);
    expect(names).toContain('warninglists/cloudflare.json@20241104');
    expect(names.some((n) => n.startsWith('shared-platforms.json@'))).toBe(true);
  });
});
